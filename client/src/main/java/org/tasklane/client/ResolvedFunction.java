package org.tasklane.client;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tasklane.client.codec.JavaFunctionName;

/**
 * Which Java method a function object ({@link Fn0} ... {@link Fn6}) stands for, found the way Ray's
 * Java API finds it: a lambda or method reference to a {@link java.io.Serializable} interface has a
 * {@link SerializedLambda} that names its implementation method, kind and captured values. An
 * object of a class that implements the interface stands for its own {@code apply} method.
 *
 * @param name the {@code java:} name a worker resolves
 * @param declaringClass the class holding the method (its jar is shipped)
 * @param receiverBound true if the receiver is known here ({@code receiver}); false for an
 *     unbound instance method, whose first argument is the receiver
 * @param receiver the object an instance method is called on, if bound (else null)
 * @param receiverClass the class to decode the receiver into on the worker
 * @param captured values a lambda captured, which come before the explicit arguments
 * @param resultType the method's generic result type (what the future decodes into)
 * @param isInstance true for an instance method (needs a receiver)
 */
record ResolvedFunction(
    JavaFunctionName name,
    Class<?> declaringClass,
    boolean receiverBound,
    Object receiver,
    Class<?> receiverClass,
    List<Object> captured,
    Type resultType,
    boolean isInstance) {

  /** Resolves {@code fn} (one of the Fn interfaces), which takes {@code arity} explicit arguments. */
  static ResolvedFunction of(Object fn, int arity) {
    if (fn == null) {
      throw new IllegalArgumentException("the function is null");
    }
    SerializedLambda lambda = serializedLambda(fn);
    return lambda != null ? fromLambda(fn, lambda) : fromObject(fn, arity);
  }

  private static SerializedLambda serializedLambda(Object fn) {
    if (!fn.getClass().isSynthetic() && !fn.getClass().isHidden()) {
      return null; // a class of the user's that implements the interface
    }
    try {
      Method writeReplace = fn.getClass().getDeclaredMethod("writeReplace");
      writeReplace.setAccessible(true);
      Object replaced = writeReplace.invoke(fn);
      return replaced instanceof SerializedLambda s ? s : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static ResolvedFunction fromLambda(Object fn, SerializedLambda l) {
    ClassLoader loader = fn.getClass().getClassLoader();
    Class<?> implClass = load(l.getImplClass().replace('/', '.'), loader);
    String methodName = l.getImplMethodName();
    String descriptor = l.getImplMethodSignature();
    Executable impl = find(implClass, methodName, descriptor);
    List<Object> captured = new ArrayList<>(l.getCapturedArgCount());
    for (int i = 0; i < l.getCapturedArgCount(); i++) {
      captured.add(l.getCapturedArg(i));
    }
    JavaFunctionName name = new JavaFunctionName(implClass.getName(), methodName, descriptor);
    int kind = l.getImplMethodKind();
    Type result = impl instanceof Method m ? m.getGenericReturnType() : implClass;
    boolean instance = kind == MethodHandleInfo.REF_invokeVirtual || kind == MethodHandleInfo.REF_invokeInterface
        || kind == MethodHandleInfo.REF_invokeSpecial;
    if (instance && !captured.isEmpty()) {
      // a bound method reference (obj::m) or a lambda that uses `this`: the first captured value is the receiver
      Object receiver = captured.remove(0);
      return new ResolvedFunction(name, implClass, true, receiver, receiver == null ? implClass : receiver.getClass(),
          List.copyOf(nullable(captured)), result, true);
    }
    return new ResolvedFunction(name, implClass, false, null, implClass, List.copyOf(nullable(captured)), result,
        instance);
  }

  /** An object of a class that implements an Fn interface: its {@code apply} method of that arity. */
  private static ResolvedFunction fromObject(Object fn, int arity) {
    Class<?> c = fn.getClass();
    Method apply = null;
    for (Class<?> k = c; k != null && apply == null; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (m.getName().equals("apply") && m.getParameterCount() == arity && !m.isBridge()
            && !Modifier.isStatic(m.getModifiers())) {
          apply = m;
          break;
        }
      }
    }
    if (apply == null) {
      throw new IllegalArgumentException("cannot find the apply method of " + c.getName());
    }
    if (c.isAnonymousClass() || c.isLocalClass() || (c.isMemberClass() && !Modifier.isStatic(c.getModifiers()))) {
      throw new IllegalArgumentException("the function " + c.getName() + " is an anonymous, local or inner class, "
          + "which a worker cannot create: use a top-level or static nested class, a method reference or a lambda");
    }
    String descriptor = MethodType.methodType(apply.getReturnType(), apply.getParameterTypes()).toMethodDescriptorString();
    JavaFunctionName name = new JavaFunctionName(apply.getDeclaringClass().getName(), "apply", descriptor);
    return new ResolvedFunction(name, apply.getDeclaringClass(), true, fn, c, List.of(), apply.getGenericReturnType(),
        true);
  }

  private static List<Object> nullable(List<Object> values) {
    return java.util.Collections.unmodifiableList(new ArrayList<>(values));
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("cannot load the function's class " + name + ": " + e.getMessage(), e);
    }
  }

  /** The method or constructor of {@code c} with this name and JVM descriptor. */
  static Executable find(Class<?> c, String name, String descriptor) {
    if (name.equals("<init>")) {
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (MethodType.methodType(void.class, k.getParameterTypes()).toMethodDescriptorString().equals(descriptor)) {
          return k;
        }
      }
    } else {
      for (Class<?> k = c; k != null; k = k.getSuperclass()) { // a reference may name an inherited method
        for (Method m : k.getDeclaredMethods()) {
          if (m.getName().equals(name)
              && MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString()
                  .equals(descriptor)) {
            return m;
          }
        }
      }
    }
    throw new IllegalArgumentException("no method " + name + descriptor + " in " + c.getName() + " (methods: "
        + Arrays.stream(c.getDeclaredMethods()).map(Method::getName).distinct().sorted().toList() + ")");
  }
}
