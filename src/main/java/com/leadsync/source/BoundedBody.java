package com.leadsync.source;

import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderCallException.Kind;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A provider's answer read with a byte cap. The functions run in 512 MB: an answer without a bound (a runaway page, a
 * proxy's error page, a zip bomb) would end the invocation out of memory, and the same call would be retried and fail
 * the same way forever. An answer over the cap is {@link Kind#INVALID} (asking again gets the same answer), naming the
 * cap so that an operator can raise it. The REST clients stream a {@link Response} (they do not buffer it), so only
 * what is read here is ever held.
 */
public final class BoundedBody {

    private BoundedBody() {
    }

    /**
     * The answer's body as UTF-8 text ("" without one), read to at most {@code maxBytes}. {@code what} names the call
     * in messages ("Meta Graph API fetch lead 123").
     *
     * @throws ProviderCallException {@link Kind#INVALID} when the body is longer, {@link Kind#TRANSIENT} when it
     *     could not be read to its end
     */
    public static String text(Response response, long maxBytes, String what) {
        if (!response.hasEntity()) {
            return "";
        }
        try (InputStream in = response.readEntity(InputStream.class)) {
            return text(in, maxBytes, what);
        } catch (IOException | ProcessingException e) {
            throw new ProviderCallException(what + ": the answer could not be read to its end: " + e.getMessage(),
                    Kind.TRANSIENT, e);
        }
    }

    /** {@link #text(Response, long, String)} of a stream. */
    static String text(InputStream in, long maxBytes, String what) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 9) + 1);
        if (body.length > maxBytes) {
            throw tooBig(what, maxBytes);
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * {@code in}, refusing to give more than {@code maxBytes}: reading past them throws {@link ProviderCallException}
     * {@link Kind#INVALID}. For a stream read piece by piece (a lead file), where the cap is on the bytes, not on what
     * is held at once.
     */
    public static InputStream capped(InputStream in, long maxBytes, String what) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                count(skipped);
                return skipped;
            }

            @Override
            public boolean markSupported() {
                return false; // a reset would re-count bytes already counted
            }

            private void count(long n) {
                read += n;
                if (read > maxBytes) {
                    throw tooBig(what, maxBytes);
                }
            }
        };
    }

    private static ProviderCallException tooBig(String what, long maxBytes) {
        return new ProviderCallException(what + ": the answer is larger than " + maxBytes + " bytes, the limit for it",
                Kind.INVALID, null);
    }
}
