package org.livepeer.naap.jobs.io;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.livepeer.naap.schemas.RawRecord;

/** Bounded input from local files of events, one source per file so each knows its name. */
public final class FileInputs {
    private FileInputs() {}

    public static DataStream<RawRecord> of(StreamExecutionEnvironment env, List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no input files");
        }
        DataStream<RawRecord> all = null;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i).toAbsolutePath();
            FileSource<RawRecord> source =
                    FileSource.forRecordStreamFormat(
                                    new JsonRecordsFormat(file.toString()),
                                    new org.apache.flink.core.fs.Path(file.toUri()))
                            .build();
            DataStream<RawRecord> stream =
                    env.fromSource(
                                    source,
                                    WatermarkStrategy.noWatermarks(),
                                    "File " + file.getFileName())
                            .uid("file-source-" + i);
            all = all == null ? stream : all.union(stream);
        }
        return all;
    }
}
