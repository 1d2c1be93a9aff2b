package com.leadsync.connect;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Set;

/** The app with {@link ScriptedTokenRefresher} standing in for Google's refresher. */
public class CredentialsProfile implements QuarkusTestProfile {
    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ScriptedTokenRefresher.class);
    }
}
