package org.livepeer.naap.jobs;

import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where one output of the pipeline goes. The pipeline never builds a connector: {@code main} hands
 * in sinks that attach Iceberg, Kafka or file writers, and tests hand in collecting ones.
 */
@FunctionalInterface
public interface OutputSink<T> {
    void attach(DataStream<T> stream);

    /** Sends the stream to both sinks. */
    default OutputSink<T> and(OutputSink<T> other) {
        return stream -> {
            attach(stream);
            other.attach(stream);
        };
    }

    /** A sink that writes nothing, for outputs a deployment does not want. */
    static <T> OutputSink<T> none() {
        return stream -> {};
    }
}
