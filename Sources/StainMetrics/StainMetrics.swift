// StainMetrics
