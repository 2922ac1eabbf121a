import StainCore
