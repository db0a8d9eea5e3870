INDICATORS: tuple[object, ...] = ()
