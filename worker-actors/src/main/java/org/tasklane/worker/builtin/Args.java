package org.tasklane.worker.builtin;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Argument checks shared by the built-in functions; each failure is one line naming the function. */
final class Args {
  private Args() {}

  /**
   * Check the argument count.
   *
   * @param expects what the function takes, for the message, e.g. {@code "1 number"}
   */
  static void count(String fn, List<Object> args, int min, int max, String expects) {
    int n = args.size();
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          fn + " expects " + expects + ", got " + n + (n == 1 ? " argument" : " arguments"));
    }
  }

  /** The argument as a number, or an error saying what it was instead. */
  static Number number(String fn, String expects, Object arg) {
    if (arg instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException(fn + " expects " + expects + ", got " + describe(arg));
  }

  /** Integral numbers: Long, Integer, Short, Byte, BigInteger. */
  static boolean isIntegral(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
        || n instanceof BigInteger;
  }

  /** The number as a long, or an error if it is not integral or does not fit. */
  static long integral(String fn, String expects, Object arg) {
    Number n = number(fn, expects, arg);
    if (!isIntegral(n)) {
      throw new IllegalArgumentException(fn + " expects " + expects + ", got " + describe(arg));
    }
    if (n instanceof BigInteger b && b.bitLength() > 63) {
      throw new IllegalArgumentException(fn + " expects " + expects + ", got a number too large: " + b);
    }
    return n.longValue();
  }

  /** x + 1, keeping integral numbers integral. */
  static Number plusOne(String fn, String expects, Object arg) {
    Number n = number(fn, expects, arg);
    if (isIntegral(n)) {
      return Math.addExact(integral(fn, expects, arg), 1L);
    }
    if (n instanceof BigDecimal d) {
      return d.doubleValue() + 1.0;
    }
    return n.doubleValue() + 1.0;
  }

  /** A short description of a value for error messages. */
  static String describe(Object arg) {
    if (arg == null) {
      return "null";
    } else if (arg instanceof String) {
      return "a string";
    } else if (arg instanceof Boolean) {
      return "a boolean";
    } else if (arg instanceof byte[]) {
      return "bytes";
    } else if (arg instanceof List<?>) {
      return "a list";
    } else if (arg instanceof Map<?, ?> m && m.size() == 1 && m.get("ref") instanceof String key) {
      // a reference inside a list or an object reaches the function as it was written
      return "{\"ref\": " + key + "} inside a list or object, which stays as written: only a top-level "
          + "argument {\"ref\": KEY} is replaced by that task's result";
    } else if (arg instanceof Map<?, ?>) {
      return "an object";
    } else if (arg instanceof Number) {
      return "the number " + arg;
    }
    return "a " + arg.getClass().getSimpleName();
  }

  /** A duration in seconds as nanoseconds, or an error if it is negative or not a number. */
  static long secondsAsNanos(String fn, String expects, Object arg) {
    double seconds = number(fn, expects, arg).doubleValue();
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException(fn + " expects " + expects + ", got " + seconds + " seconds");
    }
    return (long) (seconds * 1e9);
  }
}
