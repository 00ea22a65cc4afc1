package io.platform.api.admission;

import io.fabric8.kubernetes.api.model.Quantity;
import io.platform.api.errors.ApiException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Resource quantities as plugins compare, add and print them, as upstream's resource.Quantity. */
public final class Quantities {

    private static final List<String> BINARY = List.of("Ei", "Pi", "Ti", "Gi", "Mi", "Ki");
    private static final List<String> DECIMAL = List.of("E", "P", "T", "G", "M", "k");

    private Quantities() {}

    /** The amount of a quantity such as {@code 500m}, {@code 128Mi} or {@code 2}. */
    public static BigDecimal parse(String quantity) {
        try {
            return new Quantity(quantity).getNumericalAmount();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ApiException.badRequest("quantities must match the regular expression "
                    + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', got \"" + quantity + "\"");
        }
    }

    /** The amount of a JSON quantity (string or number), zero when absent. */
    public static BigDecimal parse(JsonNode quantity) {
        if (quantity.isMissingNode() || quantity.isNull()) {
            return BigDecimal.ZERO;
        }
        return parse(quantity.isNumber() ? quantity.asString() : quantity.asString(""));
    }

    /**
     * The amount printed as upstream prints a sum: in the suffix family of {@code like} (binary {@code Mi}, decimal
     * {@code M}) with the largest suffix that divides it, milli units for fractions, a plain number otherwise.
     */
    public static String format(BigDecimal amount, String like) {
        BigDecimal value = amount.stripTrailingZeros();
        if (value.signum() == 0) {
            return "0";
        }
        if (value.scale() > 0) {
            BigDecimal milli = value.movePointRight(3);
            return milli.stripTrailingZeros().scale() <= 0 ? milli.toBigInteger() + "m" : value.toPlainString();
        }
        BigInteger whole = value.toBigIntegerExact();
        boolean binary = BINARY.stream().anyMatch(like::endsWith);
        boolean decimal = !binary && DECIMAL.stream().anyMatch(like::endsWith);
        List<String> suffixes = binary ? BINARY : decimal ? DECIMAL : List.of();
        for (int i = 0; i < suffixes.size(); i++) {
            int power = suffixes.size() - i;
            BigInteger unit = binary ? BigInteger.ONE.shiftLeft(10 * power) : BigInteger.TEN.pow(3 * power);
            BigInteger[] division = whole.divideAndRemainder(unit);
            if (division[1].signum() == 0) {
                return division[0] + suffixes.get(i);
            }
        }
        return whole.toString();
    }

    /** The quantity as the object spelled it, for messages (upstream prints the enforced value as given). */
    public static String text(JsonNode quantity) {
        return quantity.isNumber() ? quantity.asString() : quantity.asString("");
    }
}
