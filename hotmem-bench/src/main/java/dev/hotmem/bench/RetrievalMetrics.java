package dev.hotmem.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Recall@5, Recall@10, hit@10 and MRR over ranked turn ids, per category and overall. */
final class RetrievalMetrics {
  static final class Sums {
    int n;
    double r5;
    double r10;
    double hit10;
    double mrr;

    void add(List<String> ranked, Set<String> evidence) {
      n++;
      r5 += recallAt(ranked, evidence, 5);
      r10 += recallAt(ranked, evidence, 10);
      int first = -1;
      for (int i = 0; i < Math.min(10, ranked.size()); i++) {
        if (evidence.contains(ranked.get(i))) {
          first = i;
          break;
        }
      }
      hit10 += first >= 0 ? 1 : 0;
      mrr += first >= 0 ? 1.0 / (first + 1) : 0;
    }

    String row(String label) {
      return String.format(
          "| %s | %d | %.3f | %.3f | %.3f | %.3f |", label, n, r5 / n, r10 / n, hit10 / n, mrr / n);
    }

    double recall10() {
      return r10 / n;
    }
  }

  final Sums overall = new Sums();
  final Map<Integer, Sums> byCategory = new TreeMap<>();

  void add(int category, List<String> ranked, Set<String> evidence) {
    overall.add(ranked, evidence);
    byCategory.computeIfAbsent(category, c -> new Sums()).add(ranked, evidence);
  }

  static double recallAt(List<String> ranked, Set<String> evidence, int k) {
    int found = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      if (evidence.contains(ranked.get(i))) {
        found++;
      }
    }
    return (double) found / evidence.size();
  }
}
