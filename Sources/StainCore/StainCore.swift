// StainCore
