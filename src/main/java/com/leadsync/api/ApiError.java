package com.leadsync.api;

import java.util.List;
import java.util.Map;

/** A request that cannot be served, with the status and the contract's {@code error} code. */
public class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final List<Map<String, String>> problems;

    public ApiError(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    private ApiError(int status, String code, String message, List<Map<String, String>> problems) {
        super(message);
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    /**
     * A 422 listing every problem found ({@code path} and {@code message} each), so that a caller (the admin panel's
     * editor) can show them where they are; {@code message} repeats the first.
     */
    public static ApiError invalid(String message, List<Map<String, String>> problems) {
        return new ApiError(422, "invalid", message, problems);
    }

    /** The problems listed with the error; empty for most errors. */
    public List<Map<String, String>> problems() {
        return problems;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    public static ApiError unauthenticated(String message) {
        return new ApiError(401, "unauthenticated", message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "method_not_allowed", message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message);
    }

    public static ApiError tooLarge(String message) {
        return new ApiError(413, "payload_too_large", message);
    }

    public static ApiError invalid(String message) {
        return new ApiError(422, "invalid", message);
    }

    public static ApiError unavailable(String message) {
        return new ApiError(503, "unavailable", message);
    }

    public static ApiError notImplemented(String message) {
        return new ApiError(501, "not_implemented", message);
    }
}
