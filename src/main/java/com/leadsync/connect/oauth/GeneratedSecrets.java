package com.leadsync.connect.oauth;

/**
 * Secrets a deployment may leave to be generated once and kept (local mode keeps them in its data dir); in AWS they
 * come from config and no implementation exists.
 */
public interface GeneratedSecrets {

    /** The secret kept under {@code name}, made (at least 32 random bytes, URL-safe text) on first use. */
    String get(String name);
}
