package org.tasklane.dashboard.errors;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** What kind of error a task record is, from its trace or its error text. */
class ErrorKindTest {
  @Test
  void fromATraceTheQualifiedTypeAndTheMessageEvenOverLines() {
    ErrorKind k = ErrorKind.of("IllegalStateException: bad row 17 | at a.B.c(B.java:1)",
        "java.lang.IllegalStateException: bad row 17\nin file x\n\tat a.B.c(B.java:1)\n", "load-3");
    assertEquals("java.lang.IllegalStateException", k.type());
    assertEquals("IllegalStateException", k.simpleType());
    assertEquals("bad row 17 in file x", k.message());
    assertEquals("bad row # in file x", k.pattern());
  }

  @Test
  void fromTheErrorTextWithoutTheAttemptAndTheFrames() {
    ErrorKind k = ErrorKind.of("attempt 1 of 3 failed, retrying: ArithmeticException: / by zero | at a.B.c(B.java:1)",
        null, "div-1");
    assertEquals("ArithmeticException", k.type());
    assertEquals("/ by zero", k.message());
    // the same kind as the same exception read from a trace
    assertEquals(k.groupKey(), ErrorKind.of("x", "java.lang.ArithmeticException: / by zero\n\tat a.B.c(B.java:1)", "div-2")
        .groupKey());
  }

  @Test
  void errorsThatAreNoExceptionHaveNoTypeAndTheirOwnKeyIsTakenOut() {
    ErrorKind timeout = ErrorKind.of("timed out after 1.5s", null, "slow-1");
    assertEquals("", timeout.type());
    assertEquals("timed out after 1.5s", timeout.message());
    assertEquals("timed out after #.#s", timeout.pattern());
    ErrorKind big = ErrorKind.of("result of load-12 is 99 bytes, over the limit", null, "load-12");
    assertEquals("result of {key} is # bytes, over the limit", big.pattern());
    assertEquals("", ErrorKind.of("unknown function 'f' on worker w: RuntimeException", null, "k").type());
    assertEquals("(no message)", ErrorKind.of(null, null, "k").message());
    assertEquals("Oops", ErrorKind.of("Oops", null, "k").type(), "a bare class-like name is taken as the type");
  }

  @Test
  void anHtmlLikeMessageIsKeptAsItIs() {
    ErrorKind k = ErrorKind.of(null, "java.lang.RuntimeException: <img src=x onerror=alert(1)>\n\tat a.B.c(B.java:1)", "k");
    assertEquals("<img src=x onerror=alert(#)>", k.pattern());
    assertEquals("<img src=x onerror=alert(1)>", k.message());
  }
}
