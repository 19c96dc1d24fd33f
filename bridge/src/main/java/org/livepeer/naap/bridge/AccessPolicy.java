package org.livepeer.naap.bridge;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bridge's own access control, on top of what the Streamr node already checked (signatures, the
 * stream's publish permissions): which publishers may feed the raw topic, and for which
 * orchestrators each may speak. Read from a JSON file:
 *
 * <pre>{@code
 * {
 *   "publishers": ["0xGatewayAddress", "0xOrchestratorAddress"],
 *   "delegations": [{"delegate": "0xHotKey", "orchestrator": "0xOrchestratorAddress"}]
 * }
 * }</pre>
 *
 * <p>Delegations exist because orchestrator operators do not keep their orchestrator key on the
 * publishing host: a hot key signs the messages, and the delegation says whose events it may
 * publish. A delegate is an allowed publisher by its delegation alone.
 *
 * <p>Only the events an orchestrator emits name the orchestrator they speak for, so only they are
 * checked as claims: {@code worker-connected}, {@code worker-disconnected}, {@code job-received},
 * {@code job-processed} ({@code ethAddress}), {@code ticket-redeemed} ({@code recipient}), {@code
 * job_orchestrator} and {@code worker_lifecycle} ({@code orchestrator_info.address}). Gateway
 * events name orchestrators too, but as the ones the gateway used, which any gateway may.
 *
 * <p>Addresses compare trimmed and lower-cased: EIP-55 mixed case and lower case both occur.
 * Immutable, so a reload swaps the whole policy at once.
 */
public final class AccessPolicy {
    /** The reason of a message without a publisher id (plugin without payload metadata). */
    public static final String NO_PUBLISHER_ID = "no_publisher_id";

    /** The reason of a publisher that is neither in the publishers nor a delegate. */
    public static final String PUBLISHER_NOT_ALLOWED = "publisher_not_allowed";

    /** The reason of an event that speaks for an orchestrator its publisher may not speak for. */
    public static final String ORCHESTRATOR_NOT_DELEGATED = "orchestrator_not_delegated";

    /**
     * The verdict on one message.
     *
     * @param reason null when allowed; otherwise one of the stable snake_case reasons above (a
     *     metric label and a Kafka header value, so never reworded)
     * @param detail for people: which publisher, event and address; null when allowed
     */
    public record Decision(boolean allowed, String reason, String detail) {
        static final Decision ALLOWED = new Decision(true, null, null);

        static Decision denied(String reason, String detail) {
            return new Decision(false, reason, detail);
        }
    }

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final String PUBLISHERS = "publishers";
    private static final String DELEGATIONS = "delegations";
    private static final String DELEGATE = "delegate";
    private static final String ORCHESTRATOR = "orchestrator";

    /** Duplicate keys are an error too: the second {@code publishers} would silently win. */
    private static final ObjectMapper STRICT =
            new ObjectMapper()
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final AccessPolicy ALLOW_ALL = new AccessPolicy(true, Set.of(), Map.of());

    private final boolean open;
    private final Set<String> publishers;
    private final Map<String, Set<String>> delegations;

    private AccessPolicy(
            boolean open, Set<String> publishers, Map<String, Set<String>> delegations) {
        this.open = open;
        this.publishers = publishers;
        this.delegations = delegations;
    }

    /** The policy of a bridge without a policy file: every message allowed. */
    public static AccessPolicy allowAll() {
        return ALLOW_ALL;
    }

    /**
     * Reads a policy file's content. Both fields are optional ({@code {}} allows no one); unknown
     * fields are an error, so that a misspelt field fails loudly instead of quarantining
     * everything.
     *
     * @throws IllegalArgumentException saying what is wrong and where, e.g. {@code
     *     delegations[2].delegate: "0x12" is not an address (0x and 40 hex digits)}
     */
    public static AccessPolicy parse(byte[] json) {
        JsonNode root;
        try {
            root = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(
                    "not JSON: "
                            + e.getOriginalMessage()
                            + (at == null
                                    ? ""
                                    : " (line "
                                            + at.getLineNr()
                                            + ", column "
                                            + at.getColumnNr()
                                            + ")"),
                    e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "the policy must be a JSON object with publishers and/or delegations, but is "
                            + kind(root));
        }
        onlyFields(root, "", PUBLISHERS, DELEGATIONS);
        Set<String> publishers = new HashSet<>();
        int i = 0;
        for (JsonNode entry : array(root, PUBLISHERS)) {
            publishers.add(address(entry, PUBLISHERS + "[" + i++ + "]"));
        }
        Map<String, Set<String>> delegations = new HashMap<>();
        i = 0;
        for (JsonNode entry : array(root, DELEGATIONS)) {
            String where = DELEGATIONS + "[" + i++ + "]";
            if (!entry.isObject()) {
                throw new IllegalArgumentException(
                        where
                                + ": must be an object {\"delegate\": ..., \"orchestrator\": ...},"
                                + " but is "
                                + kind(entry));
            }
            onlyFields(entry, where, DELEGATE, ORCHESTRATOR);
            String delegate = address(entry.get(DELEGATE), where + "." + DELEGATE);
            String orchestrator = address(entry.get(ORCHESTRATOR), where + "." + ORCHESTRATOR);
            delegations.computeIfAbsent(delegate, d -> new HashSet<>()).add(orchestrator);
        }
        Map<String, Set<String>> frozen = new HashMap<>();
        delegations.forEach((d, os) -> frozen.put(d, Set.copyOf(os)));
        return new AccessPolicy(false, Set.copyOf(publishers), Map.copyOf(frozen));
    }

    /** The allowed publishers, lower-cased (delegates not included). */
    public Set<String> publishers() {
        return publishers;
    }

    /** Each delegate (lower-cased) with the orchestrators (lower-cased) it may publish for. */
    public Map<String, Set<String>> delegations() {
        return delegations;
    }

    /**
     * Whether a message may go to the raw topic. The publisher must be allowed; then every event of
     * the content that speaks for an orchestrator must name the publisher itself or one the
     * publisher is a delegate of (the first event that does not decides). Content that is not JSON,
     * events of other types and orchestrator events without the address field carry no claim: the
     * job validates events, this only decides who may send them.
     */
    public Decision check(StreamrMessage m) {
        if (open) {
            return Decision.ALLOWED;
        }
        String publisher = normalize(m.publisherId());
        if (publisher == null) {
            return Decision.denied(
                    NO_PUBLISHER_ID,
                    "the message has no publisherId: the MQTT plugin must run with payloadMetadata"
                            + " on for access control");
        }
        Set<String> delegatedFor = delegations.getOrDefault(publisher, Set.of());
        if (!publishers.contains(publisher) && !delegations.containsKey(publisher)) {
            return Decision.denied(
                    PUBLISHER_NOT_ALLOWED,
                    "publisher " + publisher + " is neither an allowed publisher nor a delegate");
        }
        JsonNode content = m.content();
        if (content == null) {
            return Decision.ALLOWED;
        }
        int n = content.isArray() ? content.size() : 1;
        for (int i = 0; i < n; i++) {
            JsonNode event = content.isArray() ? content.get(i) : content;
            String type = typeOf(event);
            String claimed = normalize(claimOf(type, event));
            if (claimed != null && !claimed.equals(publisher) && !delegatedFor.contains(claimed)) {
                return Decision.denied(
                        ORCHESTRATOR_NOT_DELEGATED,
                        "event "
                                + i
                                + " ("
                                + type
                                + ") claims orchestrator "
                                + claimed
                                + ": publisher "
                                + publisher
                                + " is not that orchestrator and not delegated for it");
            }
        }
        return Decision.ALLOWED;
    }

    /** The event's type as the job reads it: {@code type}, else the Open Pool {@code EventType}. */
    private static String typeOf(JsonNode event) {
        if (event == null || !event.isObject()) {
            return null;
        }
        JsonNode type = event.get("type");
        if (type == null || type.isNull()) {
            type = event.get("EventType");
        }
        return type != null && type.isTextual() ? type.textValue() : null;
    }

    /**
     * The orchestrator address an orchestrator event speaks for; null for other types and when the
     * field is absent or not a scalar. Read from the event's payload object ({@code data}, {@code
     * payload}, {@code Data} or {@code Payload}), or from the top level when it has none.
     */
    private static String claimOf(String type, JsonNode event) {
        if (type == null) {
            return null;
        }
        JsonNode fields = payloadOf(event);
        switch (type) {
            case "worker-connected":
            case "worker-disconnected":
            case "job-received":
            case "job-processed":
                return scalar(fields.get("ethAddress"));
            case "ticket-redeemed":
                return scalar(fields.get("recipient"));
            case "job_orchestrator":
            case "worker_lifecycle":
                JsonNode info = fields.get("orchestrator_info");
                return info != null && info.isObject() ? scalar(info.get("address")) : null;
            default:
                return null;
        }
    }

    private static JsonNode payloadOf(JsonNode event) {
        for (String name : new String[] {"data", "payload", "Data", "Payload"}) {
            JsonNode n = event.get(name);
            if (n != null && n.isObject()) {
                return n;
            }
        }
        return event;
    }

    private static String scalar(JsonNode n) {
        return n != null && n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    /** Trimmed and lower-cased; null when null or blank. */
    private static String normalize(String address) {
        if (address == null) {
            return null;
        }
        String trimmed = address.trim();
        return trimmed.isEmpty() ? null : trimmed.toLowerCase(Locale.ROOT);
    }

    private static void onlyFields(JsonNode object, String where, String... allowed) {
        Set<String> names = Set.of(allowed);
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new IllegalArgumentException(
                        (where.isEmpty() ? "" : where + ": ")
                                + "unknown field \""
                                + name
                                + "\" (expected "
                                + String.join(", ", allowed)
                                + ")");
            }
        }
    }

    private static JsonNode array(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null) {
            return STRICT.createArrayNode();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(field + ": must be an array, but is " + kind(n));
        }
        return n;
    }

    private static String address(JsonNode n, String where) {
        if (n == null) {
            throw new IllegalArgumentException(where + ": missing");
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(
                    where + ": must be an address string, but is " + kind(n));
        }
        String trimmed = n.textValue().trim();
        if (!ADDRESS.matcher(trimmed).matches()) {
            throw new IllegalArgumentException(
                    where + ": \"" + n.textValue() + "\" is not an address (0x and 40 hex digits)");
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "empty";
        }
        if (n.isNull()) {
            return "null";
        }
        return n.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + abbreviate(n.toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
