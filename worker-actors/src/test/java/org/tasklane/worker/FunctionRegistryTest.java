package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.worker.builtin.Add;
import org.tasklane.worker.builtin.Inc;

class FunctionRegistryTest {

  /** Another function that calls itself "inc". */
  public static final class OtherInc implements TaskFunction {
    @Override
    public String name() {
      return "inc";
    }

    @Override
    public Object call(List<Object> args) {
      return 0L;
    }
  }

  @Test
  void loadsTheBuiltInsAndFunctionsRegisteredByOtherJars() {
    FunctionRegistry registry = FunctionRegistry.load();
    assertTrue(registry.names().containsAll(
        List.of("inc", "add", "sum", "sleep", "slowinc", "bytes", "len", "fail", "identity", "checksum", "hold")), registry.names().toString());
    assertInstanceOf(TestingShout.class, registry.get("shout"), "registered in src/test/resources/META-INF/services");
    assertInstanceOf(Inc.class, registry.get("inc"));
    assertNull(registry.get("nope"));
    assertNull(registry.get(null));
  }

  @Test
  void namesAreSorted() {
    FunctionRegistry registry = FunctionRegistry.of(List.of(new Inc(), new Add(), new TestingShout()));
    assertEquals(List.of("add", "inc", "shout"), registry.names());
  }

  @Test
  void aDuplicateNameIsAnErrorNamingBothClasses() {
    IllegalStateException e = assertThrows(
        IllegalStateException.class, () -> FunctionRegistry.of(List.of(new Inc(), new Add(), new OtherInc())));
    assertEquals(
        "task function name 'inc' is defined twice: by org.tasklane.worker.builtin.Inc and by "
            + "org.tasklane.worker.FunctionRegistryTest$OtherInc",
        e.getMessage());
  }
}
