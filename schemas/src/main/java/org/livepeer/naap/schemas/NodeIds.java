package org.livepeer.naap.schemas;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds the {@code kind:id} node ids of {@link TelemetryEvent#nodeIds}. Every builder returns null
 * when its input is empty, so callers can pass optional fields straight through.
 */
public final class NodeIds {
    public static final String GATEWAY = "gateway:";
    public static final String ORCHESTRATOR = "orchestrator:";
    public static final String ORCHESTRATOR_URI = "orchestrator_uri:";
    public static final String WORKER = "worker:";

    private NodeIds() {}

    /** {@code gateway:<host>} from the envelope {@code gateway} (a host name, kept as sent). */
    public static String gateway(String host) {
        String h = trimmed(host);
        return h == null ? null : GATEWAY + h;
    }

    /** {@code gateway:<address>} from a Streamr publisher id (an address, lower-cased). */
    public static String gatewayAddress(String address) {
        String a = Addresses.normalize(address);
        return a == null ? null : GATEWAY + a;
    }

    /** {@code orchestrator:<address>}, lower-cased. */
    public static String orchestrator(String address) {
        String a = Addresses.normalize(address);
        return a == null ? null : ORCHESTRATOR + a;
    }

    /** {@code orchestrator_uri:<url>}, the service URI as sent (trimmed). */
    public static String orchestratorUri(String url) {
        String u = trimmed(url);
        return u == null ? null : ORCHESTRATOR_URI + u;
    }

    /**
     * {@code worker:<address>@<connection>}; {@code worker:<address>} when the connection is
     * unknown.
     */
    public static String worker(String ethAddress, String connection) {
        String a = Addresses.normalize(ethAddress);
        if (a == null) {
            return null;
        }
        String c = trimmed(connection);
        return c == null ? WORKER + a : WORKER + a + "@" + c;
    }

    /** The non-null ids among {@code ids}, in order. */
    public static List<String> of(String... ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (String id : ids) {
            if (id != null) {
                out.add(id);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static String trimmed(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
