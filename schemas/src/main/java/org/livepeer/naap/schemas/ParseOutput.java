package org.livepeer.naap.schemas;

/** Where {@link EventParser} puts what it makes of one input record. */
public interface ParseOutput {
    void accepted(TelemetryEvent event);

    void rejected(Rejection rejection);
}
