package com.leadsync.connect.oauth;

import com.leadsync.model.ProviderType;
import java.util.List;

/** What a grant reaches: ad accounts to connect (one connection each) or one CRM destination. */
public sealed interface Granted permits Granted.Connections, Granted.Destination {

    /** Every page / customer / ad account / advertiser the grant can read leads of (empty: nothing to connect). */
    record Connections(ProviderType type, List<GrantedConnection> connections) implements Granted {
        public Connections {
            connections = List.copyOf(connections);
        }
    }

    /** The CRM account the grant writes to. */
    record Destination(GrantedDestination destination) implements Granted {
    }
}
