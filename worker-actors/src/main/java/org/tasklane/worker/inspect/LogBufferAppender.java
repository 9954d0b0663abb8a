package org.tasklane.worker.inspect;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * A Logback appender on the root logger that copies every line this process logs (what passes the
 * loggers' levels, as the console gets it) into a {@link LogBuffer}, with the task its thread ran.
 * One per process: {@link #install} adds it once and returns its buffer.
 */
public final class LogBufferAppender extends AppenderBase<ILoggingEvent> {
  /** Frames of an exception kept in a line, at most. */
  static final int MAX_FRAMES = 8;
  private static final String NAME = "tasklane-worker-log-buffer";

  private static LogBuffer installed;

  private final LogBuffer buffer;

  LogBufferAppender(LogBuffer buffer) {
    this.buffer = buffer;
  }

  /**
   * The process's log buffer, its appender added to Logback's root logger on the first call (with
   * these bounds; later calls get the same buffer). If Logback is not SLF4J's backend here, the
   * buffer stays empty.
   */
  public static synchronized LogBuffer install(InspectSettings settings) {
    if (installed != null) {
      return installed;
    }
    installed = new LogBuffer(settings.logLines(), settings.logBytes());
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      LogBufferAppender appender = new LogBufferAppender(installed);
      appender.setContext(context);
      appender.setName(NAME);
      appender.start();
      context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }
    return installed;
  }

  @Override
  protected void append(ILoggingEvent event) {
    buffer.add(event.getTimeStamp(), event.getLevel().toString(), event.getLoggerName(), event.getThreadName(),
        TaskThreads.currentTaskKey(), text(event));
  }

  /** The formatted message, then the exception (and its causes) with their first frames. */
  static String text(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    IThrowableProxy t = event.getThrowableProxy();
    if (t == null) {
      return message;
    }
    StringBuilder b = new StringBuilder(message == null ? "" : message);
    for (int depth = 0; t != null && depth < 4 && b.length() < LogBuffer.MAX_LINE_CHARS; depth++, t = t.getCause()) {
      b.append(depth == 0 ? "\n" : "\nCaused by: ").append(t.getClassName());
      if (t.getMessage() != null) {
        b.append(": ").append(t.getMessage());
      }
      StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
      for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
        b.append("\n\tat ").append(ThreadDumps.frame(frames[i].getStackTraceElement()));
      }
      if (frames.length > MAX_FRAMES) {
        b.append("\n\t... ").append(frames.length - MAX_FRAMES).append(" more");
      }
    }
    return b.toString();
  }
}
