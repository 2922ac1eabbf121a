// StainModels
