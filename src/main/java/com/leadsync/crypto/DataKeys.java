package com.leadsync.crypto;

/** Where data keys come from and how a wrapped one is unwrapped: KMS in AWS, a key file in local mode. */
public interface DataKeys {

    /** Names this source in every value it seals (no ':'). */
    String keyRef();

    /** The data key new values are sealed with (one per container). */
    DataKey current();

    /** The plaintext of a data key this source wrapped. */
    byte[] unwrap(byte[] wrapped);
}
