package org.tasklane.worker.code;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.tasklane.client.codec.CallFrame;
import org.tasklane.client.codec.JavaFunctionName;
import org.tasklane.client.codec.ValueCodec;
import org.tasklane.client.codec.ValueCodecException;
import org.tasklane.protocol.TaskReport;

/**
 * Calls the method a {@code java:} function names, on the calling thread: finds the class in the
 * task's loader and the method by its name and exact descriptor (any access), decodes each
 * parameter's JSON value (built from the task's call frame) into the method's declared generic
 * parameter type, invokes it, and encodes the result. Every failure is one line naming what failed;
 * an exception the method throws comes back whole, for its summary and its full stack trace.
 */
final class JavaInvoker {
  private JavaInvoker() {}

  /**
   * Calls it.
   *
   * @param key the task's key, for messages
   * @param fn the task's function ({@code java:...})
   * @param jars the digests of the jars the class should be in (for messages; empty for the worker's classpath)
   * @param methods the methods resolved in {@code loader} before, by {@code fn} (this call adds its own)
   * @param args the task's arguments, {@code args[0]} its call frame and the others resolved
   */
  static JavaCalls.Outcome call(String key, String fn, List<String> jars, ClassLoader loader, ValueCodec codec,
      java.util.Map<String, Executable> methods, List<JsonNode> args) {
    JavaFunctionName name;
    CallFrame frame;
    try {
      name = JavaFunctionName.parse(fn);
      if (args.isEmpty()) {
        throw new IllegalArgumentException("a java: task needs its call frame as its first argument");
      }
      frame = CallFrame.parse(args.get(0));
    } catch (IllegalArgumentException e) {
      return new JavaCalls.Failed(key + ": " + e.getMessage(), null);
    }
    Executable known = methods.get(fn);
    if (known != null) {
      // resolved and its class initialized by an earlier task: straight to the call
      return invoke(key, name, known, frame, codec, loader, jars, args);
    }
    Class<?> cls;
    try {
      cls = Class.forName(name.className(), false, loader);
    } catch (ClassNotFoundException e) {
      return new JavaCalls.Failed(notFound(name.className(), jars), null);
    } catch (LinkageError e) {
      return new JavaCalls.Failed("class " + name.className() + " failed to load: " + oneLine(e), null);
    }
    Executable target;
    try {
      target = find(cls, name);
    } catch (LinkageError e) {
      return new JavaCalls.Failed("class " + name.className() + " failed to load: " + oneLine(e), null);
    }
    if (target == null) {
      return new JavaCalls.Failed(noSuchMethod(cls, name), null);
    }
    try {
      Class.forName(cls.getName(), true, loader);
    } catch (ExceptionInInitializerError e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new JavaCalls.Threw(cause, trace(cause), "class " + cls.getName() + " failed to initialize: ");
    } catch (LinkageError e) {
      // e.g. NoClassDefFoundError "Could not initialize class X": its initializer failed before
      return new JavaCalls.Failed("class " + cls.getName() + " failed to initialize: " + oneLine(e), null);
    } catch (ClassNotFoundException e) {
      return new JavaCalls.Failed(notFound(name.className(), jars), null);
    }
    methods.put(fn, target);
    return invoke(key, name, target, frame, codec, loader, jars, args);
  }

  private static JavaCalls.Outcome invoke(String key, JavaFunctionName name, Executable target, CallFrame frame,
      ValueCodec codec, ClassLoader loader, List<String> jars, List<JsonNode> args) {
    String what = name.className() + "::" + name.methodName() + name.descriptor();
    boolean isStatic = target instanceof Constructor<?> || Modifier.isStatic(target.getModifiers());
    int count = target.getParameterCount();
    if (frame.paramCount() != count) {
      return new JavaCalls.Failed("the call frame of " + key + " gives " + frame.paramCount() + " params; " + what + " takes "
          + count, null);
    }
    IntFunction<JsonNode> resolved = i -> {
      if (i < 1 || i >= args.size()) {
        throw new IllegalArgumentException("the call frame refers to args[" + i + "], but the task has "
            + args.size() + " arguments");
      }
      return args.get(i);
    };
    Object receiver = null;
    Optional<JsonNode> targetValue;
    try {
      targetValue = frame.target(resolved);
    } catch (IllegalArgumentException e) {
      return new JavaCalls.Failed("target of " + key + ": " + e.getMessage(), null);
    }
    if (isStatic && targetValue.isPresent()) {
      return new JavaCalls.Failed(what + " is " + (target instanceof Constructor<?> ? "a constructor" : "static")
          + " and takes no target, but the call frame of " + key + " has one", null);
    }
    if (!isStatic) {
      if (targetValue.isEmpty()) {
        return new JavaCalls.Failed(what + " is an instance method: the call frame of " + key
            + " needs a target (the receiver)", null);
      }
      Class<?> targetClass = target.getDeclaringClass();
      if (frame.targetClass().isPresent()) {
        try {
          targetClass = Class.forName(frame.targetClass().get(), false, loader);
        } catch (ClassNotFoundException e) {
          return new JavaCalls.Failed("target of " + key + ": " + notFound(frame.targetClass().get(), jars), null);
        } catch (LinkageError e) {
          return new JavaCalls.Failed("target of " + key + ": class " + frame.targetClass().get() + " failed to load: "
              + oneLine(e), null);
        }
        if (!target.getDeclaringClass().isAssignableFrom(targetClass)) {
          return new JavaCalls.Failed("target of " + key + ": " + targetClass.getName() + " is not a "
              + target.getDeclaringClass().getName(), null);
        }
      }
      try {
        receiver = codec.decode(targetValue.get(), targetClass);
      } catch (ValueCodecException | IllegalArgumentException e) {
        return new JavaCalls.Failed("target of " + key + ": " + e.getMessage(), null);
      }
      if (receiver == null) {
        return new JavaCalls.Failed("target of " + key + ": the receiver of " + what + " is null", null);
      }
    }
    Type[] types = target.getGenericParameterTypes();
    if (types.length != count) {
      types = target.getParameterTypes(); // an inner class's constructor: its outer instance is not generic
    }
    Object[] params = new Object[count];
    for (int k = 0; k < count; k++) {
      try {
        params[k] = codec.decode(frame.param(k, resolved), types[k]);
      } catch (ValueCodecException | IllegalArgumentException e) {
        return new JavaCalls.Failed("argument " + (k + 1) + " of " + key + ": " + e.getMessage(), null);
      }
    }
    Object result;
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      target.setAccessible(true);
      if (target instanceof Constructor<?> c) {
        result = c.newInstance(params);
      } else {
        result = ((Method) target).invoke(receiver, params);
      }
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new JavaCalls.Threw(cause, trace(cause), "");
    } catch (ReflectiveOperationException | RuntimeException e) {
      return new JavaCalls.Failed("cannot call " + what + " for " + key + ": " + oneLine(e), null);
    } finally {
      thread.setContextClassLoader(before);
    }
    if (target instanceof Method m && m.getReturnType() == void.class) {
      return new JavaCalls.Returned(NullNode.getInstance());
    }
    try {
      return new JavaCalls.Returned(codec.encode(result));
    } catch (ValueCodecException e) {
      return new JavaCalls.Failed("result of " + key + ": " + e.getMessage(), null);
    }
  }

  /** The constructor or method with this name and exact descriptor, in the class or what it inherits; or null. */
  static Executable find(Class<?> cls, JavaFunctionName name) {
    if (name.isConstructor()) {
      for (Constructor<?> c : cls.getDeclaredConstructors()) {
        if (descriptor(c).equals(name.descriptor())) {
          return c;
        }
      }
      return null;
    }
    Deque<Class<?>> interfaces = new ArrayDeque<>();
    for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
      Method m = declared(c, name);
      if (m != null) {
        return m;
      }
      interfaces.addAll(List.of(c.getInterfaces()));
    }
    Set<Class<?>> seen = new HashSet<>();
    while (!interfaces.isEmpty()) {
      Class<?> i = interfaces.poll();
      if (seen.add(i)) {
        Method m = declared(i, name);
        if (m != null) {
          return m;
        }
        interfaces.addAll(List.of(i.getInterfaces()));
      }
    }
    return null;
  }

  private static Method declared(Class<?> c, JavaFunctionName name) {
    for (Method m : c.getDeclaredMethods()) {
      if (m.getName().equals(name.methodName()) && descriptor(m).equals(name.descriptor())) {
        return m;
      }
    }
    return null;
  }

  static String descriptor(Executable e) {
    Class<?> returns = e instanceof Method m ? m.getReturnType() : void.class;
    return MethodType.methodType(returns, e.getParameterTypes()).toMethodDescriptorString();
  }

  private static String noSuchMethod(Class<?> cls, JavaFunctionName name) {
    List<String> same = new ArrayList<>();
    try {
      if (name.isConstructor()) {
        for (Constructor<?> c : cls.getDeclaredConstructors()) {
          same.add("<init>" + descriptor(c));
        }
      } else {
        for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
          for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(name.methodName())) {
              same.add(m.getName() + descriptor(m));
            }
          }
        }
      }
    } catch (LinkageError e) {
      // listing them is only a help
    }
    String text = "class " + cls.getName() + " has no " + (name.isConstructor() ? "constructor " : "method ")
        + name.methodName() + name.descriptor();
    if (same.isEmpty()) {
      return text;
    }
    List<String> shown = same.subList(0, Math.min(5, same.size()));
    return text + "; it has " + String.join(", ", shown) + (same.size() > shown.size() ? ", ..." : "");
  }

  /** The line for a class the jars do not have. */
  static String notFound(String className, List<String> jars) {
    if (jars.isEmpty()) {
      return "class " + className + " not found on the worker's classpath (the graph names no jars in \"code\")";
    }
    List<String> shown = jars.subList(0, Math.min(3, jars.size()));
    return "class " + className + " not found in the graph's jars (" + String.join(", ", shown)
        + (jars.size() > shown.size() ? " and " + (jars.size() - shown.size()) + " more" : "") + ")";
  }

  private static String oneLine(Throwable t) {
    String m = t.getMessage();
    return (t.getClass().getSimpleName() + (m == null ? "" : ": " + m)).replaceAll("\\s+", " ");
  }

  /**
   * The stack trace as {@code printStackTrace} prints it ({@code Caused by:} and all), without the
   * worker's frames below the user's (reflection, the task lanes), cut to
   * {@link TaskReport#MAX_TRACE_CHARS}.
   */
  static String trace(Throwable t) {
    trimWorkerFrames(t, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    String text = out.toString();
    return text.length() > TaskReport.MAX_TRACE_CHARS ? text.substring(0, TaskReport.MAX_TRACE_CHARS) : text;
  }

  /**
   * Cuts each trace of the chain (causes and suppressed too) where the worker called the user's code:
   * at the reflection (or class loading) frames right above this class's first frame. A trace
   * without this class's frames (made on another thread) is kept whole.
   */
  private static void trimWorkerFrames(Throwable t, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) {
      return;
    }
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < frames.length; i++) {
      if (frames[i].getClassName().equals(JavaInvoker.class.getName())) {
        int cut = i;
        while (cut > 0 && isCallingFrame(frames[cut - 1])) {
          cut--;
        }
        if (cut > 0) {
          t.setStackTrace(java.util.Arrays.copyOf(frames, cut));
        }
        break;
      }
    }
    trimWorkerFrames(t.getCause(), seen);
    for (Throwable s : t.getSuppressed()) {
      trimWorkerFrames(s, seen);
    }
  }

  /** Reflection calling the user's method, or the JDK loading its class. */
  private static boolean isCallingFrame(StackTraceElement f) {
    String c = f.getClassName();
    return c.startsWith("jdk.internal.reflect.") || c.equals("java.lang.reflect.Method")
        || c.equals("java.lang.reflect.Constructor") || c.equals("java.lang.Class");
  }
}
