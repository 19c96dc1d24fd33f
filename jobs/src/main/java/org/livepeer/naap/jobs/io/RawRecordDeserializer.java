package org.livepeer.naap.jobs.io;

import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.livepeer.naap.schemas.RawRecord;

/**
 * Keeps a Kafka record as it is: the value bytes, the source label of its topic and its
 * coordinates. Parsing happens in the pipeline, where a failure becomes a rejection instead of a
 * failed job. A record with no value (a tombstone) becomes an empty record, which the parser
 * rejects.
 */
public class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    private final Map<String, String> labelByTopic;

    /** {@code labelByTopic} maps each topic to its source label; unmapped topics use their name. */
    public RawRecordDeserializer(Map<String, String> labelByTopic) {
        this.labelByTopic = Map.copyOf(labelByTopic);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        out.collect(
                new RawRecord(
                        record.value() == null ? EMPTY : record.value(),
                        labelByTopic.getOrDefault(record.topic(), record.topic()),
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp()));
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
