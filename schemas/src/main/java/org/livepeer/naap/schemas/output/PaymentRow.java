package org.livepeer.naap.schemas.output;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One {@code create_new_payment} (a gateway's ticket batch to an orchestrator), normalized: the
 * money values parsed out of their unit strings into wei, and the expected value that METRICS.md
 * defines for payments (face value x win probability), so that earnings can be summed in SQL
 * without re-parsing {@code "2402400000000000 WEI"} or {@code "0.0034 ETH"} in every query. One row
 * per accepted (deduplicated) payment event; the row of the archive table {@code naap.payments},
 * whose column names are the snake_case forms of these fields.
 *
 * <p>Unknown is null, never 0. Wei amounts are {@link WeiDecimal} values. Addresses are
 * lower-cased, as in every node id and in {@code naap.sessions}, so that they join; the original
 * casing stays in {@code naap.raw_events}. Times are epoch milliseconds.
 */
public class PaymentRow {
    /** The envelope id of the payment event. */
    public String eventId;

    /**
     * The event time, as in {@code naap.raw_events}: for a payment the envelope's, as payments
     * carry no time of their own.
     */
    public long eventTime;

    /** The envelope {@code gateway} host; null when empty. */
    public String gateway;

    /** {@code sessionID}: the gateway's payment session with the orchestrator. */
    public String paymentSessionId;

    /**
     * {@code manifestID}: {@code <capability id>_<model>} for live AI, else the orchestrator
     * session's manifest id.
     */
    public String manifestId;

    /** {@code requestID}; null when empty (live-AI payments after the first). */
    public String requestId;

    /** {@code sender}: the gateway's Ethereum address, lower-cased. */
    public String sender;

    /** {@code recipient}: the orchestrator's Ethereum address, lower-cased. */
    public String recipient;

    /** {@code orchestrator}: the orchestrator's service URL, as sent. */
    public String orchestratorUrl;

    /** {@code capability}, as sent; null when empty (as it is in every capture so far). */
    public String capability;

    /**
     * The model of a live-AI payment: the part of {@code manifestID} after its first {@code _} when
     * what precedes it is a capability id (digits); else null.
     */
    public String model;

    /** {@code faceValue} exactly as sent, e.g. {@code "2402400000000000 WEI"}. */
    public String faceValueText;

    /** The face value in wei (WEI, gwei and ETH converted); null when not a known amount. */
    public BigDecimal faceValueWei;

    /** {@code winProb}, the probability that one ticket wins. */
    public Double winProb;

    /** {@link #faceValueWei} x {@link #winProb}; null when either is null. */
    public BigDecimal expectedValueWei;

    /** {@code price} exactly as sent, e.g. {@code "1635.021 wei/pixel"}. */
    public String priceText;

    /** The price in wei per unit of {@link #priceUnit}'s denominator (per pixel). */
    public BigDecimal priceWeiPerUnit;

    /** The unit of {@link #priceText} as sent, e.g. {@code wei/pixel}; null for a bare number. */
    public String priceUnit;

    /** {@code numTickets}: the tickets in the batch. */
    public Long numTickets;

    public PaymentRow() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PaymentRow)) {
            return false;
        }
        PaymentRow p = (PaymentRow) o;
        return eventTime == p.eventTime
                && Objects.equals(eventId, p.eventId)
                && Objects.equals(gateway, p.gateway)
                && Objects.equals(paymentSessionId, p.paymentSessionId)
                && Objects.equals(manifestId, p.manifestId)
                && Objects.equals(requestId, p.requestId)
                && Objects.equals(sender, p.sender)
                && Objects.equals(recipient, p.recipient)
                && Objects.equals(orchestratorUrl, p.orchestratorUrl)
                && Objects.equals(capability, p.capability)
                && Objects.equals(model, p.model)
                && Objects.equals(faceValueText, p.faceValueText)
                && Objects.equals(faceValueWei, p.faceValueWei)
                && Objects.equals(winProb, p.winProb)
                && Objects.equals(expectedValueWei, p.expectedValueWei)
                && Objects.equals(priceText, p.priceText)
                && Objects.equals(priceWeiPerUnit, p.priceWeiPerUnit)
                && Objects.equals(priceUnit, p.priceUnit)
                && Objects.equals(numTickets, p.numTickets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventTime);
    }

    @Override
    public String toString() {
        return "PaymentRow{"
                + eventId
                + " t="
                + eventTime
                + " session="
                + paymentSessionId
                + " to "
                + orchestratorUrl
                + " face="
                + faceValueText
                + " winProb="
                + winProb
                + " ev="
                + (expectedValueWei == null ? null : expectedValueWei.toPlainString())
                + "}";
    }
}
