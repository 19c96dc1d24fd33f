package org.livepeer.naap.functions.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.schemas.Addresses;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.Family;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.family.Amount;
import org.livepeer.naap.schemas.family.CreateNewPayment;
import org.livepeer.naap.schemas.family.Families;
import org.livepeer.naap.schemas.family.FamilyPayload;
import org.livepeer.naap.schemas.family.InvalidPayloadException;
import org.livepeer.naap.schemas.output.PaymentRow;
import org.livepeer.naap.schemas.output.WeiDecimal;

/**
 * Turns every {@code create_new_payment} into one {@link PaymentRow} for {@code naap.payments}: the
 * archive keeps the payment as sent, with its money in unit strings; this row has them in wei, so
 * that what each orchestrator earns (METRICS.md, expected value = face value x win probability) is
 * one SQL sum. Events of other families pass through without output.
 *
 * <p>Stateless: one row per payment of its input, which is the deduplicated stream. A payment that
 * does not decode (the parser validated it with the same decoder, so none should) is counted as
 * {@value #UNDECODABLE} and dropped, never thrown. Late payments are rows like any other: a
 * payment's value does not depend on when it arrives.
 */
public class Payments extends ProcessFunction<TelemetryEvent, PaymentRow> {
    private static final long serialVersionUID = 1L;

    /** The count of payments that did not decode. */
    public static final String UNDECODABLE = "payments_undecodable";

    private transient ObjectMapper mapper;
    private transient Accounting accounting;

    @Override
    public void open(OpenContext openContext) {
        mapper = EventParser.newObjectMapper();
        accounting = new Accounting(getRuntimeContext());
    }

    @Override
    public void processElement(TelemetryEvent event, Context ctx, Collector<PaymentRow> out) {
        if (!Family.CREATE_NEW_PAYMENT.wireName().equals(event.family)) {
            return;
        }
        FamilyPayload payload;
        try {
            payload = Families.decode(mapper, event);
        } catch (InvalidPayloadException e) {
            accounting.count(UNDECODABLE);
            return;
        }
        if (payload instanceof CreateNewPayment payment) {
            out.collect(row(event, payment));
        } else {
            accounting.count(UNDECODABLE);
        }
    }

    /** The row of one payment event and its decoded payload. */
    public static PaymentRow row(TelemetryEvent event, CreateNewPayment p) {
        PaymentRow r = new PaymentRow();
        r.eventId = event.eventId;
        r.eventTime = event.eventTime;
        r.gateway = event.gateway;
        r.paymentSessionId = p.sessionId();
        r.manifestId = p.manifestId();
        r.requestId = p.requestId();
        r.sender = Addresses.normalize(p.sender());
        r.recipient = Addresses.normalize(p.recipient());
        r.orchestratorUrl = p.orchestrator();
        r.capability = p.capability();
        r.model = model(p.manifestId());
        Amount face = p.faceValue();
        r.faceValueText = face == null ? null : face.text();
        r.faceValueWei = face == null ? null : WeiDecimal.fit(face.wei());
        r.winProb = p.winProb();
        r.expectedValueWei = WeiDecimal.fit(p.expectedValueWei());
        Amount price = p.price();
        r.priceText = price == null ? null : price.text();
        r.priceWeiPerUnit = price == null ? null : WeiDecimal.fit(price.wei());
        r.priceUnit = price == null ? null : price.unit();
        r.numTickets = p.numTickets();
        return r;
    }

    /**
     * The model named by a live-AI {@code manifestID} ({@code <capability id>_<model>}, e.g. {@code
     * 35_streamdiffusion-sdxl-faceid}): the part after the first {@code _} when the part before it
     * is a non-empty run of digits and the part after it is not empty; else null (another kind of
     * manifest id, such as an orchestrator session's, names no model).
     */
    public static String model(String manifestId) {
        if (manifestId == null) {
            return null;
        }
        int underscore = manifestId.indexOf('_');
        if (underscore <= 0 || underscore == manifestId.length() - 1) {
            return null;
        }
        for (int i = 0; i < underscore; i++) {
            char c = manifestId.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return manifestId.substring(underscore + 1);
    }
}
