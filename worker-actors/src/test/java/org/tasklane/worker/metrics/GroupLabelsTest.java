package org.tasklane.worker.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** At most N groups have a label of their own; a new one takes an idle one's place, else it is "other". */
class GroupLabelsTest {
  static final long IDLE = 1_000;

  @Test
  void theFirstGroupsUpToTheLimitKeepTheirNames() {
    GroupLabels labels = new GroupLabels(2, IDLE);
    List<String> evicted = new ArrayList<>();
    assertEquals("load", labels.labelOf("load", 0, evicted::add));
    assertEquals("sum", labels.labelOf("sum", 1, evicted::add));
    assertEquals("other", labels.labelOf("inc", 2, evicted::add), "a third group while both are busy");
    assertEquals("load", labels.labelOf("load", 3, evicted::add), "a known group keeps its name");
    assertEquals(List.of(), evicted);
    assertEquals(2, labels.size());
  }

  @Test
  void aNewGroupTakesTheLeastRecentlySeenIdleGroupsPlace() {
    GroupLabels labels = new GroupLabels(2, IDLE);
    List<String> evicted = new ArrayList<>();
    labels.labelOf("load", 0, evicted::add);
    labels.labelOf("sum", 10, evicted::add);
    labels.labelOf("load", 500, evicted::add); // load seen again: sum is now the least recently seen
    assertEquals("other", labels.labelOf("inc", 1_009, evicted::add), "sum idle for 999 ns: not yet");
    assertEquals("inc", labels.labelOf("inc", 1_010, evicted::add), "sum idle for 1000 ns: it goes");
    assertEquals(List.of("sum"), evicted);
    assertEquals("other", labels.labelOf("sum", 1_011, evicted::add), "and comes back only when there is room");
    assertEquals(2, labels.size());
  }

  @Test
  void aGroupNamedOtherSharesTheOverflowsSeries() {
    GroupLabels labels = new GroupLabels(1, IDLE);
    assertEquals("other", labels.labelOf("other", 0, g -> fail("nothing evicted")));
    assertEquals(0, labels.size(), "it takes no place");
  }

  @Test
  void aLimitBelowOneIsRefusedInOneLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupLabels(0, IDLE));
    assertEquals("max-groups must be at least 1, got 0", e.getMessage());
  }
}
