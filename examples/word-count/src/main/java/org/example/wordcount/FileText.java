package org.example.wordcount;

/** One input file: its name and text. A record travels as itself from the client to a task. */
public record FileText(String name, String text) {}
