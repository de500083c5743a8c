"""Operations core: plain functions behind ``lurewatch config show`` (more to come)."""
