package org.tasklane.worker.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tasklane.worker.TaskFunction;

class BuiltinsTest {

  private static Object call(TaskFunction fn, Object... args) throws Exception {
    return fn.call(Arrays.asList(args));
  }

  private static String argumentError(TaskFunction fn, Object... args) {
    return assertThrows(IllegalArgumentException.class, () -> call(fn, args)).getMessage();
  }

  @Test
  void inc() throws Exception {
    assertEquals(42L, call(new Inc(), 41L));
    assertEquals(2.5, call(new Inc(), 1.5));
    assertEquals("inc expects 1 number, got 2 arguments", argumentError(new Inc(), 1L, 2L));
    assertEquals("inc expects 1 number, got 0 arguments", argumentError(new Inc()));
    assertEquals("inc expects 1 number, got a string", argumentError(new Inc(), "x"));
    assertEquals("inc expects 1 number, got null", argumentError(new Inc(), (Object) null));
  }

  @Test
  void add() throws Exception {
    assertEquals(5L, call(new Add(), 2L, 3L));
    assertEquals(2.5, call(new Add(), 2L, 0.5));
    assertEquals("add expects 2 numbers, got 1 argument", argumentError(new Add(), 1L));
    assertEquals("add expects 2 numbers, got a list", argumentError(new Add(), 1L, List.of(1L)));
  }

  @Test
  void sum() throws Exception {
    assertEquals(10L, call(new Sum(), 1L, 2L, List.of(3L, 4L)));
    assertEquals(10.5, call(new Sum(), 1L, List.of(2.5, 3L), 4L));
    assertEquals(0L, call(new Sum()));
    assertEquals(6L, call(new Sum(), List.of(1L, 2L, 3L)));
    assertEquals("sum expects numbers or lists of numbers, got a string", argumentError(new Sum(), 1L, "x"));
    assertEquals("sum expects numbers or lists of numbers, got a string", argumentError(new Sum(), List.of(1L, "x")));
    assertEquals("sum expects numbers or lists of numbers, got null", argumentError(new Sum(), (Object) null));
    assertEquals("sum expects numbers or lists of numbers, got {\"ref\": inc-1} inside a list or object, which stays "
        + "as written: only a top-level argument {\"ref\": KEY} is replaced by that task's result",
        argumentError(new Sum(), List.of(1L, java.util.Map.of("ref", "inc-1"))));
    assertEquals("sum expects numbers or lists of numbers, got an object",
        argumentError(new Sum(), List.of(java.util.Map.of("ref", "inc-1", "x", 1L))));
  }

  @Test
  void sleep() throws Exception {
    long start = System.nanoTime();
    assertEquals("v", call(new Sleep(), 0.05, "v"));
    assertTrue(System.nanoTime() - start >= 50_000_000L, "slept at least 50 ms");
    assertNull(call(new Sleep(), 0L));
    assertEquals("sleep expects seconds and an optional value, got 0 arguments", argumentError(new Sleep()));
    assertEquals("sleep expects seconds and an optional value, got -1.0 seconds", argumentError(new Sleep(), -1L));
    assertEquals("sleep expects seconds and an optional value, got a string", argumentError(new Sleep(), "1"));
  }

  @Test
  void slowincBurnsCpuForTheDelay() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    assertEquals(6L, call(new SlowInc(), 5L, 0.2));
    long wall = System.nanoTime() - start;
    long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
    assertTrue(wall >= 200_000_000L, "took at least the delay, took " + wall + " ns");
    if (cpuStart >= 0) {
      // A sleeping implementation uses almost no CPU; a busy loop uses most of the delay (the
      // machine is shared, so only a fraction is required).
      assertTrue(cpu >= 40_000_000L, "burned CPU, used " + cpu + " ns");
    }
    long defaultStart = System.nanoTime();
    assertEquals(2L, call(new SlowInc(), 1L));
    assertTrue(System.nanoTime() - defaultStart >= 100_000_000L, "default delay is 0.1 s");
    assertEquals("slowinc expects a number and an optional delay in seconds, got 3 arguments",
        argumentError(new SlowInc(), 1L, 0.1, 2L));
  }

  @Test
  void bytes() throws Exception {
    byte[] ten = (byte[]) call(new Bytes(), 10L);
    assertEquals(10, ten.length);
    assertArrayEquals(ten, (byte[]) call(new Bytes(), 10L, "ignored", List.of(1L)), "deterministic, extras ignored");
    assertEquals(9, ten[9]);
    assertEquals(0, ((byte[]) call(new Bytes(), 0L)).length);
    assertEquals("bytes expects a byte count between 0 and 2147483639, got -1", argumentError(new Bytes(), -1L));
    assertEquals("bytes expects a byte count (and any ignored arguments), got the number 1.5", argumentError(new Bytes(), 1.5));
    assertEquals("bytes expects a byte count (and any ignored arguments), got 0 arguments", argumentError(new Bytes()));
  }

  @Test
  void len() throws Exception {
    assertEquals(3L, call(new Len(), new byte[3]));
    assertEquals(5L, call(new Len(), "héllo"));
    assertEquals(2L, call(new Len(), List.of(1L, 2L)));
    assertEquals(1L, call(new Len(), Map.of("a", 1L)));
    assertEquals("len expects 1 value that is bytes, a string, a list or an object, got the number 5",
        argumentError(new Len(), 5L));
  }

  @Test
  void fail() {
    RuntimeException plain = assertThrows(RuntimeException.class, () -> call(new Fail()));
    assertEquals("fail was called", plain.getMessage());
    RuntimeException withMessage = assertThrows(RuntimeException.class, () -> call(new Fail(), "boom", 1L));
    assertEquals("boom", withMessage.getMessage());
    assertEquals(RuntimeException.class, withMessage.getClass());
  }

  @Test
  void identity() throws Exception {
    List<Object> value = List.of(1L, "a");
    assertEquals(value, call(new Identity(), value));
    assertNull(call(new Identity(), (Object) null));
    assertEquals("identity expects 1 argument, got 2 arguments", argumentError(new Identity(), 1L, 2L));
  }

  @Test
  void namesMatchTheFunctions() {
    assertEquals(
        List.of("inc", "add", "sum", "sleep", "slowinc", "bytes", "len", "fail", "identity", "checksum", "hold"),
        List.of(new Inc().name(), new Add().name(), new Sum().name(), new Sleep().name(), new SlowInc().name(),
            new Bytes().name(), new Len().name(), new Fail().name(), new Identity().name(), new Checksum().name(),
            new Hold().name()));
  }

  @Test
  void checksumAddsEveryByteAndNumber() throws Exception {
    assertEquals(255L + 1 + 2 + 7, call(new Checksum(), new byte[] {(byte) 255, 1, 2}, 7L));
    long oneMiB = 0;
    for (int i = 0; i < (1 << 20); i++) {
      oneMiB += i % 251;
    }
    assertEquals(oneMiB, call(new Checksum(), call(new Bytes(), (long) (1 << 20))));
  }

  @Test
  void holdReturnsWhatItHeld() throws Exception {
    assertEquals(10L << 20, call(new Hold(), 10L << 20, 0.01));
    assertEquals("hold expects a byte count of at least 0, got -1", argumentError(new Hold(), -1L, 0L));
  }
}
