package org.livepeer.naap.bridge;

import java.util.List;
import java.util.Objects;

/**
 * One spooled message, as it is to be sent to Kafka: the topic, the key (null for none), the value
 * and the headers in their order. {@code sequence} is the spool's number for it, which the sender
 * hands back to {@link Spool#ack} once Kafka has the record.
 */
public record SpoolEntry(
        long sequence, String topic, byte[] key, byte[] value, List<Header> headers) {
    public SpoolEntry {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
        headers = List.copyOf(headers);
    }

    /** A Kafka record header; its value may be null, as Kafka allows. */
    public record Header(String name, byte[] value) {
        public Header {
            Objects.requireNonNull(name, "name");
        }
    }
}
