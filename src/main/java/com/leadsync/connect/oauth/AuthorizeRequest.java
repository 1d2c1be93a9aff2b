package com.leadsync.connect.oauth;

/**
 * What a consent page URL is built from: the signed {@code state}, the registered {@code redirectUri}
 * ({@code {leadsync.public-url}/oauth/{type}/callback}) and, for a platform that {@link OAuthPlatform#usesPkce uses
 * PKCE}, the S256 {@code codeChallenge} (null otherwise).
 */
public record AuthorizeRequest(String accountId, String state, String redirectUri, String codeChallenge) {
}
