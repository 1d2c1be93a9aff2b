package com.leadsync.crypto;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.net.URI;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * KMS envelope encryption with the SDK's KMS client against a stand-in that speaks KMS's JSON protocol
 * ({@code X-Amz-Target: TrentService.*}, {@code application/x-amz-json-1.1}, errors as {@code __type} + message).
 */
class KmsDataKeysTest {

    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String KEY_ALIAS = "alias/leadsync-secrets";
    private static final String CONTEXT = "DestinationsTable/dst_1/config.accessToken";
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private static WireMockServer kms;
    private static KmsClient client;

    private final byte[] dataKey = AesGcm.randomBytes(AesGcm.KEY_BYTES);
    /** What KMS would return as the wrapped key: opaque bytes (here random) that only KMS maps back. */
    private final byte[] blob = AesGcm.randomBytes(184);

    @BeforeAll
    static void startKms() {
        kms = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        kms.start();
        client = KmsClient.builder().endpointOverride(URI.create(kms.baseUrl())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stopKms() {
        client.close();
        kms.stop();
    }

    @BeforeEach
    void stubKms() {
        kms.resetAll();
        kms.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.GenerateDataKey"))
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"))
                .withRequestBody(equalToJson("""
                        {"KeyId":"%s","KeySpec":"AES_256","EncryptionContext":{"purpose":"leadsync-secrets"}}"""
                        .formatted(KEY_ALIAS)))
                .willReturn(json(200, """
                        {"CiphertextBlob":"%s","KeyId":"%s","Plaintext":"%s"}"""
                        .formatted(B64.encodeToString(blob), KEY_ARN, B64.encodeToString(dataKey)))));
        kms.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.Decrypt"))
                .withRequestBody(matchingJsonPath("$.CiphertextBlob", equalTo(B64.encodeToString(blob))))
                .withRequestBody(matchingJsonPath("$.EncryptionContext.purpose", equalTo("leadsync-secrets")))
                .willReturn(json(200, """
                        {"KeyId":"%s","Plaintext":"%s","EncryptionAlgorithm":"SYMMETRIC_DEFAULT"}"""
                        .formatted(KEY_ARN, B64.encodeToString(dataKey)))));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withHeader("x-amzn-RequestId", "9f2b6a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b").withBody(body);
    }

    private static RequestPatternBuilder call(String operation) {
        return postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService." + operation));
    }

    @Test
    void one_data_key_is_generated_per_container_and_travels_wrapped_with_every_value() {
        EnvelopeCipher cipher = new EnvelopeCipher(new KmsDataKeys(client, KEY_ALIAS));

        String first = cipher.seal("at-first-" + "1".repeat(20), CONTEXT);
        String second = cipher.seal("rt-second", CONTEXT);

        assertThat(first).startsWith("enc:v1:kms:" + B64.encodeToString(blob) + ":");
        assertThat(cipher.open(first, CONTEXT)).isEqualTo("at-first-" + "1".repeat(20));
        assertThat(cipher.open(second, CONTEXT)).isEqualTo("rt-second");
        kms.verify(1, call("GenerateDataKey"));
        kms.verify(0, call("Decrypt"));
    }

    @Test
    void another_container_decrypts_the_wrapped_key_once_and_then_opens_from_its_cache() {
        String sealed = new EnvelopeCipher(new KmsDataKeys(client, KEY_ALIAS)).seal("at-shared", CONTEXT);
        EnvelopeCipher other = new EnvelopeCipher(new KmsDataKeys(client, KEY_ALIAS));

        assertThat(other.open(sealed, CONTEXT)).isEqualTo("at-shared");
        assertThat(other.open(sealed, CONTEXT)).isEqualTo("at-shared");

        kms.verify(1, call("Decrypt"));
        kms.verify(1, call("GenerateDataKey"));
    }

    @Test
    void a_kms_error_fails_with_its_code_and_message_and_no_key_material() {
        kms.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.GenerateDataKey"))
                .atPriority(1).willReturn(json(400, """
                        {"__type":"AccessDeniedException","message":"User: arn:aws:sts::111122223333:assumed-role/api/fn \
                        is not authorized to perform: kms:GenerateDataKey on this resource because no identity-based \
                        policy allows the kms:GenerateDataKey action"}""")));

        assertThatThrownBy(() -> new EnvelopeCipher(new KmsDataKeys(client, KEY_ALIAS)).seal("at-secret", CONTEXT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GenerateDataKey").hasMessageContaining(KEY_ALIAS)
                .hasMessageContaining("AccessDeniedException").hasMessageContaining("HTTP 400")
                .hasMessageContaining("is not authorized").hasMessageNotContaining("at-secret");
    }

    @Test
    void a_wrapped_key_kms_does_not_know_fails_to_open_with_the_kms_error() {
        kms.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.Decrypt")).atPriority(10)
                .willReturn(json(400, "{\"__type\":\"InvalidCiphertextException\",\"message\":null}")));
        String foreign = "enc:v1:kms:" + B64.encodeToString(AesGcm.randomBytes(184)) + ":"
                + B64.encodeToString(AesGcm.randomBytes(12)) + ":" + B64.encodeToString(AesGcm.randomBytes(40));

        assertThatThrownBy(() -> new EnvelopeCipher(new KmsDataKeys(client, KEY_ALIAS)).open(foreign, CONTEXT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Decrypt")
                .hasMessageContaining("InvalidCiphertextException");
    }

    @Test
    void a_data_key_is_never_printed() {
        DataKey key = new KmsDataKeys(client, KEY_ALIAS).current();

        assertThat(key.toString()).doesNotContain(B64.encodeToString(dataKey)).doesNotContain("[B@");
        assertThat(key.key()).isEqualTo(dataKey);
    }
}
