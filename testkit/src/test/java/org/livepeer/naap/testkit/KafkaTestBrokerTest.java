package org.livepeer.naap.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The two ways of reading a topic to its end differ exactly on records of open transactions. */
class KafkaTestBrokerTest {
    @Test
    void readToEndSeesWhatIsWrittenAndReadCommittedToEndOnlyWhatIsCommitted() throws Exception {
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            kafka.createTopic("t", 2);
            try (KafkaProducer<byte[], byte[]> plain = kafka.producer();
                    KafkaProducer<byte[], byte[]> transactional = transactional(kafka)) {
                KafkaTestBroker.send(plain, "t", 0, "plain-0");
                KafkaTestBroker.send(plain, "t", 1, "plain-1");
                transactional.initTransactions();
                transactional.beginTransaction();
                transactional.send(new ProducerRecord<>("t", 0, null, bytes("open"))).get();

                assertThat(values(kafka.readToEnd("t")))
                        .containsExactlyInAnyOrder("plain-0", "plain-1", "open");
                assertThat(values(kafka.readCommittedToEnd("t")))
                        .containsExactlyInAnyOrder("plain-0", "plain-1");
                assertThat(kafka.offsetsInOpenTransactions("t")).isEqualTo(1);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> transactional(KafkaTestBroker kafka) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("transactional.id", "test-open-transaction");
        return new KafkaProducer<>(p);
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
