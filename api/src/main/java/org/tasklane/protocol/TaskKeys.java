package org.tasklane.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** Helpers about task keys and references, shared by validation, workers and dashboards. */
public final class TaskKeys {
  private TaskKeys() {}

  /**
   * The group of a key, as Dask's {@code key_split}: the leading words of a dash-separated key,
   * up to the first part that is a number or a hash. {@code load-0} is {@code load},
   * {@code sum-level-2-17} is {@code sum-level}, {@code x} is {@code x}.
   */
  public static String group(String key) {
    if (key == null || key.isEmpty()) {
      return "";
    }
    String[] words = key.split("-", -1);
    StringBuilder result = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      String w = words[i];
      if (isAlphabetic(w) && !(w.length() == 8 && isHex(w))) {
        result.append('-').append(w);
      } else {
        break;
      }
    }
    return result.length() == 0 ? key : result.toString();
  }

  /** The key an argument refers to if it is {@code {"ref": "KEY"}}, else null. */
  public static String refOf(JsonNode arg) {
    if (arg != null && arg.isObject() && arg.size() == 1) {
      JsonNode r = arg.get("ref");
      if (r != null && r.isTextual()) {
        return r.textValue();
      }
    }
    return null;
  }

  private static boolean isAlphabetic(String w) {
    if (w.isEmpty()) {
      return false;
    }
    for (int i = 0; i < w.length(); i++) {
      if (!Character.isLetter(w.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(String w) {
    for (int i = 0; i < w.length(); i++) {
      if (Character.digit(w.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The index of the first half of a surrogate pair that lacks its other half in {@code s}, or -1. */
  public static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
