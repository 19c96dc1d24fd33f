package org.livepeer.naap.schemas;

/**
 * Turns one input record into accepted events and rejections. Not thread-safe: one per task.
 *
 * <p>Every record yields at least one output; an array record yields one output per element.
 */
public final class EventParser {
    private final ParserConfig config;

    public EventParser(ParserConfig config) {
        this.config = config;
    }

    public void parse(RawRecord record, ParseOutput out) {
        throw new UnsupportedOperationException("not built yet");
    }
}
