package org.tasklane.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The task functions a worker can run, by name. Immutable once built; safe to share between threads. */
public final class FunctionRegistry {

  private final Map<String, TaskFunction> byName;
  private final List<String> names;

  private FunctionRegistry(Map<String, TaskFunction> byName) {
    this.byName = Map.copyOf(byName);
    List<String> sorted = new ArrayList<>(byName.keySet());
    Collections.sort(sorted);
    this.names = List.copyOf(sorted);
  }

  /** Every {@link TaskFunction} the context class loader (or this class's loader) can see. */
  public static FunctionRegistry load() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return load(loader != null ? loader : FunctionRegistry.class.getClassLoader());
  }

  /** Every {@link TaskFunction} registered with {@link ServiceLoader} in this class loader. */
  public static FunctionRegistry load(ClassLoader loader) {
    List<TaskFunction> found = new ArrayList<>();
    for (TaskFunction f : ServiceLoader.load(TaskFunction.class, loader)) {
      found.add(f);
    }
    return of(found);
  }

  /**
   * A registry of exactly these functions.
   *
   * @throws IllegalStateException if two functions have the same name (the message names both classes)
   */
  public static FunctionRegistry of(List<? extends TaskFunction> functions) {
    Map<String, TaskFunction> byName = new HashMap<>();
    for (TaskFunction f : functions) {
      String name = f.name();
      if (name == null || name.isBlank()) {
        throw new IllegalStateException("task function " + f.getClass().getName() + " has no name");
      }
      TaskFunction previous = byName.putIfAbsent(name, f);
      if (previous != null) {
        throw new IllegalStateException(
            "task function name '" + name + "' is defined twice: by " + previous.getClass().getName()
                + " and by " + f.getClass().getName());
      }
    }
    return new FunctionRegistry(byName);
  }

  /** The function with this name, or null. */
  public TaskFunction get(String name) {
    return name == null ? null : byName.get(name);
  }

  /** The names of all functions, sorted. */
  public List<String> names() {
    return names;
  }

  @Override
  public String toString() {
    return "FunctionRegistry" + names;
  }
}
