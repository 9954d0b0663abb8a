package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResultStoreTest {

  @Test
  void countsAndBytesFollowPutsReplacementsAndRemovals() {
    ResultStore store = new ResultStore();
    store.put(1, LongNode.valueOf(1), 8);
    store.put(2, TextNode.valueOf("hello"), 5);
    assertEquals(2, store.count());
    assertEquals(13, store.totalBytes());

    store.put(2, TextNode.valueOf("hi"), 2);
    assertEquals(2, store.count());
    assertEquals(10, store.totalBytes());
    assertEquals(TextNode.valueOf("hi"), store.get(2).value());

    assertTrue(store.remove(1));
    assertFalse(store.remove(1));
    assertFalse(store.remove(99));
    assertNull(store.get(1));
    assertEquals(1, store.count());
    assertEquals(2, store.totalBytes());
    assertEquals(List.of(2L), store.ids(10));
  }

  @Test
  void idsAreLimited() {
    ResultStore store = new ResultStore();
    for (long i = 0; i < 50; i++) {
      store.put(i, LongNode.valueOf(i), 8);
    }
    List<Long> ids = store.ids(20);
    assertEquals(20, ids.size());
    Set<Long> distinct = new HashSet<>(ids);
    assertEquals(20, distinct.size());
  }

  @Test
  void servedTransfersAreCounted() {
    ResultStore store = new ResultStore();
    store.recordServed(2, 100);
    store.recordServed(1, 5);
    assertEquals(3, store.servedItems());
    assertEquals(105, store.servedBytes());
  }
}
