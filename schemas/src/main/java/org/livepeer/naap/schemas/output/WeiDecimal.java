package org.livepeer.naap.schemas.output;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one decimal type every wei amount of the output tables has: {@code decimal(38, 10)}.
 *
 * <p>Why these bounds: 38 digits is the widest decimal that Iceberg, Parquet, Flink SQL and Trino
 * all hold exactly, and wei amounts do not fit a double (a face value of {@code 2402400000000000}
 * wei times a win probability of {@code 0.0009930487} needs 20 significant digits). Of the 38, 28
 * are integer digits: up to 10^28 wei, 10^10 ETH, far beyond all the ether there is (about 1.2 x
 * 10^8 ETH). 10 are fractional: win probabilities arrive with 10 decimals ({@code "0.0000147059"}),
 * so a face value (whole wei) times one is exact, and so are prices such as {@code 1635.021}
 * wei/pixel. The columns are sums-ready in SQL, which a decimal text column is not.
 */
public final class WeiDecimal {
    public static final int PRECISION = 38;
    public static final int SCALE = 10;

    private static final int INTEGER_DIGITS = PRECISION - SCALE;

    private WeiDecimal() {}

    /**
     * {@code wei} as the tables store it: rounded half-even to {@link #SCALE} decimals when it has
     * more; null when null or when its integer part has more than 28 digits (no real amount does:
     * the row's text column keeps what was sent). The scale of a value with fewer decimals is left
     * as it is.
     */
    public static BigDecimal fit(BigDecimal wei) {
        if (wei == null) {
            return null;
        }
        BigDecimal v = wei.scale() > SCALE ? wei.setScale(SCALE, RoundingMode.HALF_EVEN) : wei;
        // In long arithmetic: in int, precision - scale wraps around for a scale near the limits.
        return (long) v.precision() - v.scale() > INTEGER_DIGITS ? null : v;
    }
}
