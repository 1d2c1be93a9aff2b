package com.leadsync.source.tiktok;

import com.leadsync.model.ProviderCallException;

/** A TikTok call that failed, with the envelope's {@code code} (-1 when there was none), which the lister reads. */
final class TikTokCallException extends ProviderCallException {

    private final int code;

    TikTokCallException(String message, Kind kind, int code, Throwable cause) {
        super(message, kind, cause);
        this.code = code;
    }

    int code() {
        return code;
    }
}
