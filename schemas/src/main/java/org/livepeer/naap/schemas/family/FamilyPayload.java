package org.livepeer.naap.schemas.family;

import java.util.List;

/**
 * The typed payload of one event family, as {@link Families#decode} returns it. Every field is
 * nullable: null means unknown (absent, null, empty or unconvertible), never 0.
 */
public sealed interface FamilyPayload
        permits SessionPayload,
                DiscoveryResults,
                CreateNewPayment,
                CreateSignedTicket,
                NetworkCapabilities,
                AiBatchRequest,
                AiLlmRequest,
                ByocJob,
                NodeTrace,
                WorkerConnection,
                JobReceived,
                JobProcessed,
                TicketRedeemed,
                UnknownPayload {

    /** The family's own subtype (see {@code TelemetryEvent.subtype}); null for most families. */
    default String subtype() {
        return null;
    }

    /**
     * The nodes the payload names, as {@code kind:id} (see {@link
     * org.livepeer.naap.schemas.NodeIds}), unsorted and possibly repeated; the envelope's gateway
     * is added by the parser.
     */
    default List<String> nodeIds() {
        return List.of();
    }
}
