package org.tasklane.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A function that ignores interrupts, for tests (given to {@link FunctionRegistry#of}):
 * {@code stubborn(name)} blocks, interrupted or not, until the test {@link #release releases} that
 * name, then returns the name.
 */
final class TestingStubborn implements TaskFunction {
  private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "stubborn";
  }

  @Override
  public Object call(List<Object> args) {
    String name = (String) args.get(0);
    boolean interrupted = false;
    while (true) {
      try {
        gate(name).await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // and wait on regardless
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return name;
  }

  /** Lets {@code stubborn(name)} return. */
  static void release(String name) {
    gate(name).countDown();
  }

  private static CountDownLatch gate(String name) {
    return GATES.computeIfAbsent(name, n -> new CountDownLatch(1));
  }
}
