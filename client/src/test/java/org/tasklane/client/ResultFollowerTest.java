package org.tasklane.client;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultFollowerTest {

  @Test
  void keysGoInRequestsThatFitAUriLine() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      keys.add("UserInc.inc-" + i);
    }
    List<List<String>> batches = ResultFollower.batches(keys);
    assertEquals(keys, batches.stream().flatMap(List::stream).toList(), "every key once, in order");
    for (List<String> b : batches) {
      assertTrue(b.size() <= ResultFollower.KEYS_PER_REQUEST);
      int chars = b.stream().mapToInt(k -> "&key=".length() + k.length()).sum();
      assertTrue(chars <= ResultFollower.MAX_QUERY_CHARS, "a batch of " + chars + " characters");
    }
    // keys of the longest kind (1024 characters, each 9 when URL-encoded) go one a request
    String huge = "漢".repeat(1024);
    String huge2 = "字".repeat(1024);
    assertEquals(List.of(List.of(huge), List.of(huge2)), ResultFollower.batches(List.of(huge, huge2)));
  }
}
