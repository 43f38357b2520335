package dev.hotmem;

/** The BPE encoding used to count tokens for {@code max_tokens} budgets. */
public enum TokenEncoding {
  /** OpenAI's cl100k_base (GPT-3.5, GPT-4). */
  CL100K_BASE,
  /** OpenAI's o200k_base (GPT-4o and later). */
  O200K_BASE
}
