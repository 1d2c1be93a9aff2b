package com.leadsync.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.leadsync.crypto.AesGcm;
import com.leadsync.delivery.Subscription;
import com.leadsync.model.ProviderType;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * With {@code leadsync.kms-key-id} set the app seals with KMS data keys (the Quarkus KMS client, pointed at a
 * stand-in speaking KMS's JSON protocol), not with the local key file.
 */
@QuarkusTest
@TestProfile(KmsSecretsTest.WithKms.class)
class KmsSecretsTest {

    static final String KEY_ID = "alias/leadsync-test-secrets";
    static final byte[] DATA_KEY = AesGcm.randomBytes(AesGcm.KEY_BYTES);
    static final byte[] BLOB = AesGcm.randomBytes(184);
    static WireMockServer kms;

    public static final class WithKms implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.kms-key-id", KEY_ID,
                    "quarkus.kms.aws.region", "us-east-1",
                    "quarkus.kms.aws.credentials.type", "static",
                    "quarkus.kms.aws.credentials.static-provider.access-key-id", "local",
                    "quarkus.kms.aws.credentials.static-provider.secret-access-key", "local");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeKms.class));
        }
    }

    public static final class FakeKms implements QuarkusTestResourceLifecycleManager {
        private WireMockServer server;

        @Override
        public Map<String, String> start() {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
            server.start();
            Base64.Encoder b64 = Base64.getEncoder();
            server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.GenerateDataKey"))
                    .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1").withBody(
                            "{\"CiphertextBlob\":\"" + b64.encodeToString(BLOB) + "\",\"KeyId\":\"arn:aws:kms:us-east-1:"
                                    + "111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\",\"Plaintext\":\""
                                    + b64.encodeToString(DATA_KEY) + "\"}")));
            kms = server;
            return Map.of("quarkus.kms.endpoint-override", server.baseUrl());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop();
            }
        }
    }

    @Inject
    SubscriptionStore subscriptions;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    @Test
    void a_secret_is_sealed_with_a_kms_data_key_and_opens_again() {
        String id = "sub_" + UUID.randomUUID().toString().replace("-", "");
        String secret = "whsec-kms-" + UUID.randomUUID();

        subscriptions.put(new Subscription(id, "acc_kms", ProviderType.META_LEAD_ADS, "https://hooks.example.com/x",
                "leadgen", secret, Instant.now()));

        String stored = dynamo.getItem(b -> b.tableName(tables.of(Schema.SUBSCRIPTIONS))
                .key(Map.of("subscriptionId", AttributeValue.fromS(id))).consistentRead(true)).item()
                .get("callbackSecret").s();
        assertThat(stored).startsWith("enc:v1:kms:" + Base64.getEncoder().encodeToString(BLOB) + ":")
                .doesNotContain(secret);
        assertThat(subscriptions.get(id).orElseThrow().callbackSecret()).isEqualTo(secret);
        kms.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target",
                equalTo("TrentService.GenerateDataKey")));
    }
}
