package com.leadsync.crypto;

/**
 * An AES-256 data key: {@code key} encrypts values, {@code wrapped} (the key encrypted under the master key) is
 * stored with each of them. Not printable: the record's default {@code toString} would show the arrays' identities
 * only, but a key has no business in a log line at all.
 */
public record DataKey(byte[] key, byte[] wrapped) {

    @Override
    public String toString() {
        return "DataKey[" + wrapped.length + " bytes wrapped]";
    }
}
