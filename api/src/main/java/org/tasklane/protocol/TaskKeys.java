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
    // a scan, not a split: every task of a graph without groups comes through here
    int end = key.indexOf('-'); // the first word is always in
    if (end < 0) {
      return key;
    }
    int start = end + 1;
    while (true) {
      int next = key.indexOf('-', start);
      int wordEnd = next < 0 ? key.length() : next;
      if (!isNameWord(key, start, wordEnd)) {
        break;
      }
      end = wordEnd;
      if (next < 0) {
        break;
      }
      start = next + 1;
    }
    return end == 0 || end == key.length() ? key : key.substring(0, end);
  }

  /** Whether {@code key[start, end)} is a word of a group's name: letters only, and not an 8-digit hash. */
  private static boolean isNameWord(String key, int start, int end) {
    if (start == end) {
      return false;
    }
    boolean hex = end - start == 8;
    for (int i = start; i < end; i++) {
      char c = key.charAt(i);
      if (!Character.isLetter(c)) {
        return false;
      }
      hex &= Character.digit(c, 16) >= 0;
    }
    return !hex;
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
