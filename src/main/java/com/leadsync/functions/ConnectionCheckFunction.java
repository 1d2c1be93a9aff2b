package com.leadsync.functions;

import com.leadsync.connect.ConnectionCheck;
import com.leadsync.connect.ConnectionCheck.CheckResult;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Lambda {@code connection-check}: run daily by EventBridge Scheduler; tells subscribers of tokens about to lapse and
 * of connections that need re-authorization.
 */
public class ConnectionCheckFunction {

    @Inject
    ConnectionCheck check;

    @Funq("connection-check")
    public CheckResult connectionCheck(Map<String, Object> scheduleEvent) {
        return check.run();
    }
}
