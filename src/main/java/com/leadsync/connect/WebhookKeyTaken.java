package com.leadsync.connect;

import com.leadsync.model.ConditionFailed;

/** A webhook key is already another live connection's: keys route webhooks, so each is unique. */
public class WebhookKeyTaken extends ConditionFailed {
    public WebhookKeyTaken() {
        super("that webhookKey is already used by another connection");
    }
}
