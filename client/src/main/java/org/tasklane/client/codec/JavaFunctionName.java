package org.tasklane.client.codec;

/**
 * The {@code fn} of a task that calls a Java method: {@code java:} + binary class name + {@code ::} +
 * method name + JVM descriptor, e.g.
 * {@code java:com.example.WordCount::count(Ljava/lang/String;)Ljava/util/Map;}. The method name
 * {@code <init>} is a constructor. The descriptor tells overloads apart.
 *
 * @param className the binary name of the class that declares the method ({@code com.example.Outer$Inner})
 * @param methodName the method's name, or {@code <init>}
 * @param descriptor the JVM method descriptor, e.g. {@code (Ljava/lang/String;)Ljava/util/Map;}
 */
public record JavaFunctionName(String className, String methodName, String descriptor) {
  /** What every such {@code fn} starts with. */
  public static final String PREFIX = "java:";
  private static final String SEPARATOR = "::";

  public JavaFunctionName {
    if (className == null || className.isEmpty() || methodName == null || methodName.isEmpty()
        || descriptor == null || !descriptor.startsWith("(") || descriptor.indexOf(')') < 0) {
      throw new IllegalArgumentException("not a Java function: class " + className + ", method " + methodName
          + ", descriptor " + descriptor);
    }
  }

  /** True if {@code fn} names a Java method (starts with {@code java:}). */
  public static boolean isJava(String fn) {
    return fn != null && fn.startsWith(PREFIX);
  }

  /**
   * Reads a {@code fn}.
   *
   * @throws IllegalArgumentException with a one-line message if it is not of the form above
   */
  public static JavaFunctionName parse(String fn) {
    if (!isJava(fn)) {
      throw new IllegalArgumentException("'" + fn + "' is not a Java function (java:CLASS::METHOD(DESCRIPTOR)RESULT)");
    }
    String rest = fn.substring(PREFIX.length());
    int sep = rest.indexOf(SEPARATOR);
    int paren = rest.indexOf('(');
    if (sep <= 0 || paren < sep + SEPARATOR.length() + 1) {
      throw new IllegalArgumentException("'" + fn + "' is not a Java function (java:CLASS::METHOD(DESCRIPTOR)RESULT)");
    }
    return new JavaFunctionName(rest.substring(0, sep), rest.substring(sep + SEPARATOR.length(), paren),
        rest.substring(paren));
  }

  /** The {@code fn} text. */
  public String fn() {
    return PREFIX + className + SEPARATOR + methodName + descriptor;
  }

  /** True for a constructor. */
  public boolean isConstructor() {
    return "<init>".equals(methodName);
  }

  /**
   * The name people see, used as the task group: the class's simple name and the method's,
   * {@code WordCount.count}; a lambda's body ({@code lambda$main$0}) shows as {@code Main.lambda}.
   */
  public String displayName() {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    int dollar = simple.lastIndexOf('$');
    if (dollar >= 0 && dollar < simple.length() - 1 && !Character.isDigit(simple.charAt(dollar + 1))) {
      simple = simple.substring(dollar + 1); // Outer$Inner -> Inner
    }
    String method = methodName.startsWith("lambda$") ? "lambda" : isConstructor() ? "new" : methodName;
    return simple + "." + method;
  }

  @Override
  public String toString() {
    return fn();
  }
}
