package org.livepeer.naap.functions.sessions;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Per-session percentiles as DDSketches of 1 % relative accuracy, held in state as their serialized
 * bytes (so the state stays a Flink POJO, no Kryo) and mergeable downstream.
 */
public final class Sketches {
    /** The relative accuracy of every per-session sketch. */
    public static final double RELATIVE_ACCURACY = 0.01;

    private Sketches() {}

    /** A new empty sketch. */
    public static DDSketch create() {
        return DDSketches.unboundedDense(RELATIVE_ACCURACY);
    }

    /** The sketch in {@code bytes} (a new empty one for null). */
    public static DDSketch decode(byte[] bytes) {
        if (bytes == null) {
            return create();
        }
        try {
            return DDSketch.decode(ByteArrayInput.wrap(bytes), UnboundedSizeDenseStore::new);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt sketch in state", e);
        }
    }

    /**
     * The encoded form of {@code sketch}, index mapping included. ({@code serialize()} writes the
     * protobuf layout, which {@code DDSketch.decode} does not read.)
     */
    public static byte[] encode(DDSketch sketch) {
        GrowingByteArrayOutput output = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            sketch.encode(output, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a sketch", e);
        }
        return output.trimmedCopy();
    }

    /** {@code bytes} with {@code value} added. */
    public static byte[] add(byte[] bytes, double value) {
        DDSketch sketch = decode(bytes);
        sketch.accept(value);
        return encode(sketch);
    }

    /**
     * The nearest-rank percentile: the value at rank {@code ceil(q x n)} (1-based) of the sketched
     * values, within the sketch's relative accuracy; null when empty. ({@code getValueAtQuantile}
     * alone reads rank {@code q x (n - 1)}, the lower neighbour, which for a handful of samples is
     * a different sample: p95 of 10, 20, 30 would be 20.)
     */
    public static Double quantile(byte[] bytes, double q) {
        if (bytes == null) {
            return null;
        }
        DDSketch sketch = decode(bytes);
        if (sketch.isEmpty()) {
            return null;
        }
        long n = Math.round(sketch.getCount());
        if (n <= 1) {
            return sketch.getValueAtQuantile(0);
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        // The sketch returns the first value whose cumulative count exceeds q' x (n - 1): aiming
        // half a rank below the wanted one lands on it without floating-point doubt.
        double aimed = Math.min(1.0, (rank - 0.5) / (n - 1));
        return sketch.getValueAtQuantile(aimed);
    }
}
