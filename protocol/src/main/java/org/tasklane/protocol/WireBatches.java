package org.tasklane.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Cuts a list of items bound for one node into the lists of several messages, so that each message
 * stays within Artery's frames: a message over its lane's frame (256 KiB on the ordinary lane) is
 * dropped by Artery with an error in the log, and what it carried is lost. Sizes are estimates
 * (strings counted at three bytes a character, so UTF-8 never exceeds them), in the order given.
 */
public final class WireBatches {
  /** Estimated bytes per message on the ordinary lane, at most: half of its 256 KiB frames. */
  public static final long ORDINARY_BYTES = 128 * 1024;

  private WireBatches() {}

  /**
   * {@code items} in order, in lists of at most {@code maxItems} items and about {@code maxBytes}
   * estimated bytes each (an item larger than that alone goes in a list of its own); empty for none.
   */
  public static <T> List<List<T>> split(List<T> items, ToLongFunction<T> size, long maxBytes, int maxItems) {
    List<List<T>> messages = new ArrayList<>(1);
    if (items.isEmpty()) {
      return messages;
    }
    List<T> batch = new ArrayList<>(Math.min(items.size(), maxItems));
    long batchBytes = 0;
    for (T item : items) {
      long bytes = size.applyAsLong(item);
      if (!batch.isEmpty() && (batch.size() >= maxItems || batchBytes + bytes > maxBytes)) {
        messages.add(batch);
        batch = new ArrayList<>();
        batchBytes = 0;
      }
      batch.add(item);
      batchBytes += bytes;
    }
    messages.add(batch);
    return messages;
  }

  /** A string's bytes at most in UTF-8 (three a character; 0 for null). */
  public static long chars(String s) {
    return s == null ? 0 : 3L * s.length();
  }

  /** An assignment's size on the wire, about: its strings, its arguments' text, its inputs. */
  public static long estimatedSize(TaskAssignment a) {
    long bytes = 64 + chars(a.key()) + chars(a.group()) + chars(a.fn()) + a.args().json().length + 70L * a.code().size();
    List<TaskAssignment.Input> inputs = a.inputs();
    for (int i = 0; i < inputs.size(); i++) { // by index: an iterator per task is garbage per task
      bytes += estimatedSize(inputs.get(i));
    }
    return bytes;
  }

  /** An input's size on the wire, about: its key and its holders' actor paths. */
  public static long estimatedSize(TaskAssignment.Input in) {
    return 32 + chars(in.key()) + 160L * in.holders().size();
  }
}
