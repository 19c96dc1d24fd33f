package org.livepeer.naap.functions.metrics;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.ParseOutput;
import org.livepeer.naap.schemas.ParserConfig;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * Events for the payment and job tests, made by the real parser from JSON text, so that what the
 * builders read is exactly what the pipeline hands them.
 */
final class MetricEvents {
    /** An ingest time after every event of the tests and samples, so none is clamped. */
    static final long INGEST = 1_800_000_000_000L;

    private MetricEvents() {}

    /** The one event of a JSON record; fails the test when the parser does not accept it. */
    static TelemetryEvent parse(String json) {
        List<TelemetryEvent> events = parseAll(json);
        if (events.size() != 1) {
            throw new AssertionError("expected one event from " + json + ", got " + events);
        }
        return events.get(0);
    }

    /** Every event the parser accepts from one record. */
    static List<TelemetryEvent> parseAll(String json) {
        List<TelemetryEvent> accepted = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        new EventParser(ParserConfig.defaults())
                .parse(
                        new RawRecord(
                                json.getBytes(StandardCharsets.UTF_8),
                                "raw",
                                "test",
                                0,
                                0L,
                                INGEST),
                        new ParseOutput() {
                            @Override
                            public void accepted(TelemetryEvent event) {
                                accepted.add(event);
                            }

                            @Override
                            public void rejected(Rejection rejection) {
                                rejected.add(rejection);
                            }
                        });
        if (!rejected.isEmpty()) {
            throw new AssertionError("the parser rejected " + json + ": " + rejected);
        }
        return accepted;
    }

    /** The events of the bundled real sample file {@code name} (see its INDEX). */
    static List<TelemetryEvent> sample(String name) throws Exception {
        List<TelemetryEvent> out = new ArrayList<>();
        try (InputStream in =
                MetricEvents.class.getClassLoader().getResourceAsStream("naap/samples/" + name)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.addAll(parseAll(line));
                }
            }
        }
        return out;
    }

    /** The event with the id {@code id} among {@code events}. */
    static TelemetryEvent withId(List<TelemetryEvent> events, String id) {
        return events.stream()
                .filter(e -> id.equals(e.eventId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no event " + id));
    }
}
