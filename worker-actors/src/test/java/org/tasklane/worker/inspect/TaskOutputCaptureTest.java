package org.tasklane.worker.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.WorkerProtocol;

/** Lines a task prints: kept with its key, passed through unchanged; others' output and Logback's echo are not kept. */
class TaskOutputCaptureTest {
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final LogBuffer buffer = new LogBuffer(100, 1 << 20);
  private final PrintStream out = new PrintStream(
      new TaskOutputCapture(console, buffer, "STDOUT", StandardCharsets.UTF_8), true, StandardCharsets.UTF_8);
  private final TaskThreads threads = new TaskThreads();

  /** Runs body on a thread that runs task "print-1". */
  private void asTask(Runnable body) throws Exception {
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread t = new Thread(() -> {
      TaskThreads.Lane lane = threads.enter();
      lane.running(new TaskAssignment(3, "print-1", "print", "fn", List.of(), List.of()), 1L);
      try {
        body.run();
      } catch (Throwable e) {
        failed.set(e);
      } finally {
        lane.idle();
        threads.leave(lane);
      }
    }, "exec-7");
    t.start();
    t.join(10_000);
    if (failed.get() != null) {
      throw new AssertionError(failed.get());
    }
  }

  private List<String> kept() {
    return buffer.last(100).stream().map(WorkerProtocol.LogLine::message).toList();
  }

  @Test
  void keepsWhatATaskPrintsLineByLineAndPassesEverythingOn() throws Exception {
    asTask(() -> {
      out.print("half ");
      out.println("a line <b>");
      out.print("two\r\nlines\n");
    });
    out.println("not from a task");
    assertEquals(List.of("half a line <b>", "two", "lines"), kept());
    WorkerProtocol.LogLine first = buffer.last(100).get(0);
    assertEquals("STDOUT", first.level());
    assertEquals("print-1", first.task());
    assertEquals("exec-7", first.thread());
    assertEquals("System.out", first.logger());
    assertEquals("half a line <b>\ntwo\r\nlines\nnot from a task\n", console.toString(StandardCharsets.UTF_8));
  }

  @Test
  void cutsAVeryLongLine() throws Exception {
    asTask(() -> out.println("z".repeat(TaskOutputCapture.MAX_LINE_BYTES * 2)));
    String line = kept().get(0);
    assertTrue(line.length() <= LogBuffer.MAX_LINE_CHARS + 40, "length " + line.length());
    assertEquals(TaskOutputCapture.MAX_LINE_BYTES * 2 + 1, console.size());
  }

  @Test
  void doesNotKeepLogbacksEchoOfATasksLogLine() throws Exception {
    LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory(); // has an MDC adapter
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    asTask(() -> appender.doAppend(new LoggingEvent("x", context.getLogger("t"), ch.qos.logback.classic.Level.WARN,
        "logged, not printed", null, null)));
    assertEquals(List.of(), kept());
    assertEquals("logged, not printed\n", console.toString(StandardCharsets.UTF_8));
    appender.stop();
  }
}
