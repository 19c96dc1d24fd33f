package org.livepeer.naap.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.local.LocalDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.schemas.RawRecord;

class JsonRecordsFormatTest {
    @TempDir Path dir;

    private List<RawRecord> read(String name, byte[] content) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, content);
        List<RawRecord> out = new ArrayList<>();
        StreamFormat.Reader<RawRecord> reader =
                new JsonRecordsFormat(file.toString())
                        .createReader(new Configuration(), new LocalDataInputStream(file.toFile()));
        for (RawRecord r = reader.read(); r != null; r = reader.read()) {
            out.add(r);
        }
        reader.close();
        return out;
    }

    private static String text(RawRecord r) {
        return new String(r.value, StandardCharsets.UTF_8);
    }

    @Test
    void readsLinesWithTheirLineNumbersSkippingBlankLinesAndCarriageReturns() throws Exception {
        String longLine = "{\"pad\":\"" + "y".repeat(200_000) + "\"}";
        String content = "{\"a\":1}\r\n\n   \n" + longLine + "\n{\"b\":2}";
        List<RawRecord> records = read("e.jsonl", content.getBytes(StandardCharsets.UTF_8));

        assertThat(records)
                .extracting(JsonRecordsFormatTest::text)
                .containsExactly("{\"a\":1}", longLine, "{\"b\":2}");
        assertThat(records).extracting(r -> r.offset).containsExactly(1L, 4L, 5L);
        assertThat(records.get(0).topic).isEqualTo(dir.resolve("e.jsonl").toString());
        assertThat(records.get(0).source).isEqualTo("file");
    }

    @Test
    void keepsBytesThatAreNotUtf8AsTheyAre() throws Exception {
        byte[] content = {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'};
        List<RawRecord> records = read("bin.jsonl", content);
        assertThat(records)
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.value)
                                        .containsExactly('{', (byte) 0xC3, (byte) 0x28, '}'));
    }

    @Test
    void aJsonFileIsOneRecord() throws Exception {
        String array = "[\n  {\"a\": 1},\n  {\"b\": 2}\n]\n";
        List<RawRecord> records = read("batch.json", array.getBytes(StandardCharsets.UTF_8));
        assertThat(records)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(text(r)).isEqualTo(array);
                            assertThat(r.offset).isEqualTo(1L);
                        });
    }
}
