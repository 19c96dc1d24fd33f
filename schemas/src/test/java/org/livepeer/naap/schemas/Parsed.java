package org.livepeer.naap.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Collects what the parser makes of one record; the record's pointer is a fixed fixture. */
final class Parsed implements ParseOutput {
    static final String SOURCE = "raw";
    static final String TOPIC = "naap.events.raw";
    static final int PARTITION = 3;
    static final long OFFSET = 42L;

    final List<TelemetryEvent> accepted = new ArrayList<>();
    final List<Rejection> rejected = new ArrayList<>();

    @Override
    public void accepted(TelemetryEvent event) {
        accepted.add(event);
    }

    @Override
    public void rejected(Rejection rejection) {
        rejected.add(rejection);
    }

    static RawRecord record(byte[] value, long ingestTime) {
        return new RawRecord(value, SOURCE, TOPIC, PARTITION, OFFSET, ingestTime);
    }

    static Parsed parse(String json) {
        return parse(json, 0L);
    }

    static Parsed parse(String json, long ingestTime) {
        return parse(ParserConfig.defaults(), json.getBytes(StandardCharsets.UTF_8), ingestTime);
    }

    static Parsed parse(ParserConfig config, byte[] value, long ingestTime) {
        Parsed p = new Parsed();
        new EventParser(config).parse(record(value, ingestTime), p);
        return p;
    }

    /** True when every output is an accepted event. */
    boolean allAccepted() {
        return rejected.isEmpty() && !accepted.isEmpty();
    }

    TelemetryEvent single() {
        assertThat(rejected).as("rejections").isEmpty();
        assertThat(accepted).hasSize(1);
        return accepted.get(0);
    }

    Rejection singleRejection() {
        assertThat(accepted).as("accepted").isEmpty();
        assertThat(rejected).hasSize(1);
        return rejected.get(0);
    }
}
